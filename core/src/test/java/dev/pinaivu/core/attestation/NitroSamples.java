package dev.pinaivu.core.attestation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;

/** The real documents in {@code src/test/resources/nitro/}; see the README there. */
final class NitroSamples {
  static final String NONDEBUG_PCR0 =
      "f4d48b81a460c9916d1e685119074bf24660afd3e34fae9fca0a0d28d9d5599936332687e6f66fc890ac8cf150142d8b";
  static final String PCR3 =
      "4a9329d69c836267b18abbf9f4a38889124490453419e426818626348d21f989dc930b1562682a9082887454e53425aa";
  static final String ZERO_PCR = "00".repeat(48);

  static final Sample NONDEBUG =
      new Sample("evervault-nondebug-2022-10-13.cose", 1665651482136L, false);
  static final Sample DEBUG_2022 =
      new Sample("evervault-debug-2022-10-12.cose", 1665582606081L, true);
  static final Sample DEBUG_2023 =
      new Sample("evervault-debug-2023-09-18.cose.b64", 1695049410860L, true);

  private NitroSamples() {}

  static List<Sample> all() {
    return List.of(NONDEBUG, DEBUG_2022, DEBUG_2023);
  }

  static List<Sample> debug() {
    return List.of(DEBUG_2022, DEBUG_2023);
  }

  /** A real document, its file name and timestamp, and whether it is debug-mode. */
  record Sample(String file, long timestampMillis, boolean debug) {
    byte[] bytes() {
      byte[] content = resource(file);
      return file.endsWith(".b64")
          ? Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII))
          : content;
    }

    @Override
    public String toString() {
      return file;
    }
  }

  /** The DER of the AWS Nitro root, read from the test copy of the PEM. */
  static byte[] rootDer() {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(resource("aws-nitro-enclaves-root-g1.pem")))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] resource(String name) {
    try (InputStream in = NitroSamples.class.getResourceAsStream("/nitro/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource nitro/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
