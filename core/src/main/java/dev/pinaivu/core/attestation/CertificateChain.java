package dev.pinaivu.core.attestation;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The document's leaf certificate and CA bundle, and the PKIX check that they chain to a trusted
 * root at a given time. CRLs are not consulted: AWS publishes none for Nitro, and leaf certificates
 * live about three hours.
 */
final class CertificateChain {
  private static final int DIGITAL_SIGNATURE = 0;

  private final X509Certificate leaf;
  private final List<X509Certificate> bundle;

  private CertificateChain(X509Certificate leaf, List<X509Certificate> bundle) {
    this.leaf = leaf;
    this.bundle = List.copyOf(bundle);
  }

  static CertificateChain of(AttestationDocument document) throws MalformedAttestationException {
    X509Certificate leaf = parse(document.certificate(), "certificate");
    List<X509Certificate> bundle = new ArrayList<>();
    for (byte[] der : document.cabundle()) {
      bundle.add(parse(der, "cabundle[" + bundle.size() + "]"));
    }
    return new CertificateChain(leaf, bundle);
  }

  X509Certificate leaf() {
    return leaf;
  }

  /** Why the chain is not valid at {@code at} under {@code root}, or empty when it is. */
  Optional<String> problemAt(Instant at, X509Certificate root) {
    Date date = Date.from(at);
    try {
      if (!Arrays.equals(bundle.get(0).getEncoded(), root.getEncoded())) {
        return Optional.of("cabundle[0] is not the pinned root certificate");
      }
      root.checkValidity(date);
    } catch (GeneralSecurityException e) {
      return Optional.of("root certificate: " + OneLine.of(e.getMessage()));
    }
    List<X509Certificate> path = pathFromLeaf();
    try {
      PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      pkix.setRevocationEnabled(false);
      pkix.setDate(date);
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      CertPathValidator.getInstance("PKIX").validate(certPath, pkix);
    } catch (CertPathValidatorException e) {
      return Optional.of(describe(e, path));
    } catch (GeneralSecurityException e) {
      return Optional.of(OneLine.of(e.getMessage()));
    }
    boolean[] usage = leaf.getKeyUsage();
    if (usage == null || !usage[DIGITAL_SIGNATURE]) {
      return Optional.of("leaf certificate lacks the digitalSignature key usage");
    }
    return Optional.empty();
  }

  /** Java's CertPath runs leaf first, without the trust anchor: [leaf, INTERM_N .. INTERM_1]. */
  private List<X509Certificate> pathFromLeaf() {
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    for (int i = bundle.size() - 1; i >= 1; i--) {
      path.add(bundle.get(i));
    }
    return path;
  }

  private String describe(CertPathValidatorException e, List<X509Certificate> path) {
    int index = e.getIndex();
    if (index < 0 || index >= path.size()) {
      return OneLine.of(e.getMessage());
    }
    X509Certificate certificate = path.get(index);
    String name = index == 0 ? "leaf certificate" : "cabundle[" + (path.size() - index) + "]";
    if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
      return name + " expired at " + certificate.getNotAfter().toInstant();
    }
    if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return name + " is not valid before " + certificate.getNotBefore().toInstant();
    }
    return name + ": " + OneLine.of(e.getMessage());
  }

  private static X509Certificate parse(byte[] der, String what)
      throws MalformedAttestationException {
    X509Certificate certificate;
    try {
      certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(certificate.getEncoded(), der)) {
        throw new CertificateException("bytes follow the DER certificate");
      }
      // the JDK's DER parser has thrown unchecked exceptions on hostile input; all mean "malformed"
    } catch (CertificateException | RuntimeException e) {
      throw new MalformedAttestationException(
          what + " is not an X.509 certificate: " + OneLine.of(e.getMessage()));
    }
    return certificate;
  }
}
