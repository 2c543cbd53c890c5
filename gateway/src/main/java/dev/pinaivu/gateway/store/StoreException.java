package dev.pinaivu.gateway.store;

/** The embedded store failed; unexpected, so it becomes a 500 without details for clients. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
