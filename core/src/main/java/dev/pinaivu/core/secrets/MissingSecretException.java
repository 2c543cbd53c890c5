package dev.pinaivu.core.secrets;

/** A secret the process needs is not where the deployment should have put it. */
public final class MissingSecretException extends RuntimeException {
  public MissingSecretException(String message) {
    super(message);
  }

  public MissingSecretException(String message, Throwable cause) {
    super(message, cause);
  }
}
