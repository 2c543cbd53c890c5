package dev.pinaivu.core.dispatch;

/** The queue could not be reached or refused the call; what was asked may be retried. */
public final class JobQueueUnavailableException extends RuntimeException {
  public JobQueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
