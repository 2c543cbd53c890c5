package dev.pinaivu.core.attestation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A throwaway certificate authority shaped like AWS's: a P-384 root, an intermediate, a leaf,
 * certificates signed with ecdsa-with-SHA384. Built from bcprov's ASN.1 classes (bcpkix is not on
 * the classpath) and parsed back by the JDK, so the verifier sees ordinary X.509 certificates.
 */
final class TestCa {
  private static final AlgorithmIdentifier ECDSA_SHA384 =
      new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384);
  private static final AtomicLong SERIALS = new AtomicLong(1);

  /** A certificate and the key pair it certifies. */
  record Issued(X509Certificate certificate, KeyPair keys) {
    byte[] der() {
      try {
        return certificate.getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Root, intermediate and a P-384 leaf, all valid around one instant, like an NSM chain. */
  record Chain(Issued root, Issued intermediate, Issued leaf) {
    static Chain validAround(Instant at) {
      Issued root =
          TestCa.root(
              "CN=test-root", at.minus(Duration.ofDays(365)), at.plus(Duration.ofDays(365)));
      Issued intermediate =
          TestCa.intermediate(
              root,
              "CN=test-intermediate",
              at.minus(Duration.ofDays(1)),
              at.plus(Duration.ofDays(1)));
      Issued leaf =
          TestCa.leaf(
              intermediate,
              "CN=test-leaf",
              p384(),
              at.minus(Duration.ofHours(1)),
              at.plus(Duration.ofHours(2)));
      return new Chain(root, intermediate, leaf);
    }

    /** The same root and intermediate with another leaf. */
    Chain withLeaf(Issued otherLeaf) {
      return new Chain(root, intermediate, otherLeaf);
    }
  }

  private TestCa() {}

  static KeyPair p384() {
    return keyPair("secp384r1");
  }

  static KeyPair keyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Issued root(String name, Instant from, Instant to) {
    KeyPair keys = p384();
    return new Issued(sign(name, name, keys, keys, true, from, to, caUsage()), keys);
  }

  static Issued intermediate(Issued issuer, String name, Instant from, Instant to) {
    KeyPair keys = p384();
    return new Issued(
        sign(issuerName(issuer), name, keys, issuer.keys(), true, from, to, caUsage()), keys);
  }

  static Issued leaf(Issued issuer, String name, KeyPair keys, Instant from, Instant to) {
    return leaf(issuer, name, keys, from, to, new KeyUsage(KeyUsage.digitalSignature));
  }

  static Issued leaf(
      Issued issuer, String name, KeyPair keys, Instant from, Instant to, KeyUsage usage) {
    return new Issued(
        sign(issuerName(issuer), name, keys, issuer.keys(), false, from, to, usage), keys);
  }

  private static KeyUsage caUsage() {
    return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
  }

  private static String issuerName(Issued issuer) {
    return issuer.certificate().getSubjectX500Principal().getName();
  }

  private static X509Certificate sign(
      String issuer,
      String subject,
      KeyPair subjectKeys,
      KeyPair issuerKeys,
      boolean ca,
      Instant from,
      Instant to,
      KeyUsage usage) {
    try {
      V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
      tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(SERIALS.getAndIncrement())));
      tbs.setSignature(ECDSA_SHA384);
      tbs.setIssuer(new X500Name(issuer));
      tbs.setSubject(new X500Name(subject));
      tbs.setStartDate(new Time(Date.from(from)));
      tbs.setEndDate(new Time(Date.from(to)));
      tbs.setSubjectPublicKeyInfo(
          SubjectPublicKeyInfo.getInstance(subjectKeys.getPublic().getEncoded()));
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      extensions.addExtension(Extension.keyUsage, true, usage);
      tbs.setExtensions(extensions.generate());
      TBSCertificate certificate = tbs.generateTBSCertificate();

      Signature ecdsa = Signature.getInstance("SHA384withECDSA");
      ecdsa.initSign(issuerKeys.getPrivate());
      ecdsa.update(certificate.getEncoded(ASN1Encoding.DER));
      byte[] der =
          new DERSequence(
                  new ASN1Encodable[] {certificate, ECDSA_SHA384, new DERBitString(ecdsa.sign())})
              .getEncoded(ASN1Encoding.DER);
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build test certificate " + subject, e);
    }
  }
}
