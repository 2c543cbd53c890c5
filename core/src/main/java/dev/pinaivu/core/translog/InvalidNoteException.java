package dev.pinaivu.core.translog;

/**
 * A signed note or checkpoint that is malformed, or not signed by the key it must be signed by. The
 * message says which rule it broke.
 */
public class InvalidNoteException extends RuntimeException {
  public InvalidNoteException(String message) {
    super(message);
  }

  public InvalidNoteException(String message, Throwable cause) {
    super(message, cause);
  }
}
