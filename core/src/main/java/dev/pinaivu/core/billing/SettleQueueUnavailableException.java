package dev.pinaivu.core.billing;

/** The settle queue did not take a reminder. */
public final class SettleQueueUnavailableException extends RuntimeException {
  public SettleQueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
