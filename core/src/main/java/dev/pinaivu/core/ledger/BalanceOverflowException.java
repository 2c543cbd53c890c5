package dev.pinaivu.core.ledger;

/**
 * A balance would leave the range ±(2^63 - 1) µUSD (about $9.2 trillion). Refused whole rather than
 * wrapped, so no money is created or lost by arithmetic.
 */
public class BalanceOverflowException extends LedgerException {
  public BalanceOverflowException(String message) {
    super(message);
  }
}
