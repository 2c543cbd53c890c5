package dev.pinaivu.coordinator.kms;

/** State could not be sealed or unsealed; the message says which step failed and why. */
public final class SealingException extends RuntimeException {
  public SealingException(String message) {
    super(message);
  }

  public SealingException(String message, Throwable cause) {
    super(message, cause);
  }
}
