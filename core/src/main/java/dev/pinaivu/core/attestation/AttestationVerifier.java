package dev.pinaivu.core.attestation;

import dev.pinaivu.core.attestation.Verification.Check;
import dev.pinaivu.core.attestation.Verification.Refused;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a Nitro attestation document. Checks run cheapest first and the first failure is the
 * reason: format, COSE algorithm, ES384 signature, certificate chain to the pinned root at the
 * document's timestamp (or {@link VerifyOptions#atMillis}), debug mode, PCR pins, public key.
 * Thread-safe; one instance serves every caller.
 */
public final class AttestationVerifier {
  private final X509Certificate root;

  /** Trusts only the pinned AWS Nitro Enclaves Root-G1 ({@link AwsNitroRoot}). */
  public AttestationVerifier() {
    this(AwsNitroRoot.load());
  }

  /** Trusts {@code root} instead; tests use their own CA. */
  AttestationVerifier(X509Certificate root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  public Verification verify(byte[] document) {
    return verify(document, VerifyOptions.DEFAULTS);
  }

  /** Never throws for bad input: every problem is a {@link Refused} with a one-line reason. */
  public Verification verify(byte[] document, VerifyOptions options) {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(options, "options");
    AttestationDocument parsed;
    CertificateChain chain;
    try {
      parsed = AttestationDocument.parse(document);
      chain = CertificateChain.of(parsed);
    } catch (MalformedAttestationException e) {
      return new Refused(Check.FORMAT, "malformed attestation document: " + e.getMessage());
    }
    CoseSign1 cose = parsed.cose();
    if (cose.algorithm() != CoseSign1.ES384) {
      return new Refused(
          Check.ALGORITHM, "COSE algorithm is " + cose.algorithm() + ", expected ES384 (-35)");
    }
    Optional<String> badSignature = Es384.problem(cose, chain.leaf().getPublicKey());
    if (badSignature.isPresent()) {
      return new Refused(Check.SIGNATURE, badSignature.get());
    }
    Instant at =
        Instant.ofEpochMilli(
            options.atMillis() != null ? options.atMillis() : parsed.timestampMillis());
    Optional<String> badChain = chain.problemAt(at, root);
    if (badChain.isPresent()) {
      return new Refused(
          Check.CERTIFICATE_CHAIN, "certificate chain not valid at " + at + ": " + badChain.get());
    }
    return checkContents(parsed, options);
  }

  /** The checks on what a correctly signed document says. */
  private static Verification checkContents(AttestationDocument document, VerifyOptions options) {
    if (!options.allowDebug()) {
      if (document.pcrHex(0).isEmpty()) {
        return new Refused(
            Check.DEBUG_MODE, "document has no PCR0, so it may be debug-mode; pass allowDebug");
      }
      if (document.debugMode()) {
        return new Refused(
            Check.DEBUG_MODE, "debug-mode document (PCR0 is all zeros); pass allowDebug to accept");
      }
    }
    for (Map.Entry<Integer, String> pin : options.expectedPcrs().entrySet()) {
      String actual = document.pcrHex(pin.getKey()).orElse("none");
      if (!actual.equals(pin.getValue())) {
        return new Refused(
            Check.PCR,
            "PCR" + pin.getKey() + " mismatch: expected " + pin.getValue() + ", got " + actual);
      }
    }
    if (options.expectedPublicKey() != null) {
      byte[] expected = HexFormat.of().parseHex(options.expectedPublicKey());
      byte[] actual = document.publicKey();
      if (actual == null || !MessageDigest.isEqual(expected, actual)) {
        return new Refused(Check.PUBLIC_KEY, publicKeyMismatch(expected, actual));
      }
    }
    return new Verification.Valid(document);
  }

  private static String publicKeyMismatch(byte[] expected, byte[] actual) {
    String got = actual == null ? "none" : actual.length + " other bytes";
    return "public_key mismatch: expected " + expected.length + " bytes, got " + got;
  }
}
