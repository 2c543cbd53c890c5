package dev.pinaivu.coordinator.nsm;

/**
 * The NSM could not give what was asked: no device, a refused request, or a response we cannot
 * read.
 */
public final class NsmException extends RuntimeException {
  public NsmException(String message) {
    super(message);
  }

  public NsmException(String message, Throwable cause) {
    super(message, cause);
  }
}
