package dev.pinaivu.core.ledger;

/** The ledger refused an operation; nothing of it was applied. */
public class LedgerException extends RuntimeException {
  public LedgerException(String message) {
    super(message);
  }
}
