package dev.pinaivu.core.ledger;

import java.util.List;
import java.util.Objects;

/**
 * Prepaid credit added to a client account, e.g. by {@code ./pinaivu accounts credit}. The {@code
 * reference} (a payment id, an operator's note id; printable ASCII, so that every store orders it
 * the same way) is the idempotency key: one reference credits once.
 */
public record TopUp(AccountId account, long amountMicros, String reference) {
  static final int MAX_REFERENCE_LENGTH = 128;

  public TopUp {
    Objects.requireNonNull(account, "account");
    if (account.kind() != AccountId.Kind.CLIENT) {
      throw new IllegalArgumentException(
          "only client accounts (acct_...) take top-ups: " + account);
    }
    if (amountMicros <= 0) {
      throw new IllegalArgumentException(
          "a top-up must be a positive number of micro-dollars, got " + amountMicros);
    }
    requireReference(reference);
  }

  /** The balanced journal lines of this top-up, recorded at {@code atMs}. */
  public List<JournalEntry> entries(long atMs) {
    return List.of(
        new JournalEntry(account, amountMicros, EntryKind.TOP_UP, reference, atMs),
        new JournalEntry(AccountId.EXTERNAL, -amountMicros, EntryKind.TOP_UP, reference, atMs));
  }

  private static void requireReference(String reference) {
    if (reference == null
        || reference.isEmpty()
        || reference.length() > MAX_REFERENCE_LENGTH
        || !reference.equals(reference.strip())
        || !reference.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e)) {
      throw new IllegalArgumentException(
          "a top-up reference must be 1 to "
              + MAX_REFERENCE_LENGTH
              + " printable ASCII characters without leading or trailing spaces: '"
              + reference
              + "'");
    }
  }
}
