package dev.pinaivu.core.attestation;

import dev.pinaivu.core.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The AWS Nitro Enclaves Root-G1 certificate ({@code CN=aws.nitro-enclaves}, P-384, valid
 * 2019-10-28 to 2049-10-28), shipped as a resource and pinned by the SHA-256 of its DER so that a
 * swapped resource file fails loudly instead of trusting another root.
 */
public final class AwsNitroRoot {
  /** SHA-256 of the root certificate's DER encoding, lowercase hex. */
  public static final String SHA256_FINGERPRINT =
      "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

  static final String RESOURCE = "aws-nitro-enclaves-root-g1.pem";

  private AwsNitroRoot() {}

  /**
   * Loads the shipped root and checks its fingerprint.
   *
   * @throws IllegalStateException when the resource is missing or is not the pinned certificate
   */
  public static X509Certificate load() {
    try (InputStream pem = AwsNitroRoot.class.getResourceAsStream(RESOURCE)) {
      if (pem == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
      }
      return pinned(pem, SHA256_FINGERPRINT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads one PEM or DER certificate and insists its DER has the given SHA-256. */
  static X509Certificate pinned(InputStream certificate, String sha256Hex) {
    try {
      X509Certificate root =
          (X509Certificate)
              CertificateFactory.getInstance("X.509").generateCertificate(certificate);
      String actual = fingerprint(root);
      if (!actual.equals(sha256Hex)) {
        throw new IllegalStateException(
            "root certificate fingerprint is " + actual + ", pinned " + sha256Hex);
      }
      return root;
    } catch (CertificateException e) {
      throw new IllegalStateException("root certificate does not parse: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the certificate's DER encoding, lowercase hex. */
  public static String fingerprint(X509Certificate certificate)
      throws CertificateEncodingException {
    return Sha256.hex(certificate.getEncoded());
  }
}
