package dev.pinaivu.cli.receipts;

/**
 * Verification could not start: no such file, gateway unreachable or refusing, no API key. Not a
 * verdict on the receipt; the command exits 2.
 */
final class UnusableInputException extends Exception {
  UnusableInputException(String message) {
    super(message, null, false, false);
  }
}
