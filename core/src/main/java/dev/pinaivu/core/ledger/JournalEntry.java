package dev.pinaivu.core.ledger;

import java.util.Objects;

/**
 * One line of the journal: {@code amountMicros} (signed µUSD; plus adds to the balance) moved on
 * {@code account}. The entries of one transaction (a top-up or a settlement) share {@code
 * reference} and sum to zero; an account's balance is the sum of its entries.
 *
 * @param reference the request id of a settlement, or the reference of a top-up
 * @param atMs when the ledger recorded the transaction (epoch milliseconds)
 */
public record JournalEntry(
    AccountId account, long amountMicros, EntryKind kind, String reference, long atMs) {

  public JournalEntry {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reference, "reference");
  }

  /**
   * The account's balance after this entry. Balances stay within ±(2^63 - 1) µUSD, symmetric so
   * that negating one never overflows.
   *
   * @throws BalanceOverflowException if the result would leave that range
   */
  public long applyTo(long balanceMicros) {
    try {
      long after = Math.addExact(balanceMicros, amountMicros);
      if (after != Long.MIN_VALUE) {
        return after;
      }
    } catch (ArithmeticException overflow) {
      // refused below
    }
    throw new BalanceOverflowException(
        "moving "
            + amountMicros
            + " µUSD on "
            + account
            + " would take its balance of "
            + balanceMicros
            + " µUSD out of the 64-bit range; nothing was applied");
  }
}
