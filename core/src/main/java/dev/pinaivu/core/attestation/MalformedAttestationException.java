package dev.pinaivu.core.attestation;

/** The bytes are not a well-formed attestation document; the message says what is wrong. */
public final class MalformedAttestationException extends Exception {
  public MalformedAttestationException(String message) {
    super(message);
  }
}
