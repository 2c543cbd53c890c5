package dev.pinaivu.core.attestation;

import java.util.Objects;

/**
 * The outcome of {@link AttestationVerifier#verify}: either the verified document, or the first
 * check that failed with a one-line reason fit to print.
 */
public sealed interface Verification {
  boolean valid();

  /** One line saying why the document was refused; {@code "valid"} when it was not. */
  String reason();

  /** The checks, in the order {@link AttestationVerifier} runs them. */
  enum Check {
    FORMAT,
    ALGORITHM,
    SIGNATURE,
    CERTIFICATE_CHAIN,
    DEBUG_MODE,
    PCR,
    PUBLIC_KEY
  }

  /** Every check passed. */
  record Valid(AttestationDocument document) implements Verification {
    public Valid {
      Objects.requireNonNull(document, "document");
    }

    @Override
    public boolean valid() {
      return true;
    }

    @Override
    public String reason() {
      return "valid";
    }
  }

  /** {@code failed} is the first check that did not pass. */
  record Refused(Check failed, String reason) implements Verification {
    public Refused {
      Objects.requireNonNull(failed, "failed");
      if (reason == null || reason.isBlank() || reason.contains("\n")) {
        throw new IllegalArgumentException("a refusal needs a one-line reason");
      }
    }

    @Override
    public boolean valid() {
      return false;
    }
  }
}
