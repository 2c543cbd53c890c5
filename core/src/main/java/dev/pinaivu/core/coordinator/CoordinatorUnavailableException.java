package dev.pinaivu.core.coordinator;

/** The coordinator cannot be reached or did not answer in time; the request cannot be served. */
public class CoordinatorUnavailableException extends Exception {
  public CoordinatorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
