package dev.pinaivu.core.ledger;

import dev.pinaivu.core.id.RequestId;
import java.util.List;
import java.util.Optional;

/**
 * Port: the double-entry ledger of client credit, node earnings and network fees (SQLite locally,
 * DynamoDB on AWS). Every write is one atomic, idempotent journal transaction whose entries sum to
 * zero; balances always equal the sum of their entries. Every adapter passes {@code
 * LedgerContract}.
 *
 * <p>Accounts need no opening: an account with no entries has balance 0. A client balance may go
 * negative through {@link #settle}: the work was delivered, so the charge is recorded in full;
 * admission control (refusing requests of accounts without credit) happens before dispatch.
 *
 * <p>Errors: {@link IllegalArgumentException} for malformed input, {@link LedgerConflictException}
 * for a reused idempotency key with different content, {@link BalanceOverflowException} for a
 * balance leaving the 64-bit range. Any of them means nothing was applied. Storage failures surface
 * as the adapter's own unchecked exception and may be retried: retries are safe.
 */
public interface Ledger {
  /**
   * Adds prepaid credit to a client account, once per {@link TopUp#reference()}. The same reference
   * again with the same account and amount returns the original result and changes nothing.
   *
   * @throws LedgerConflictException if the reference was used with another account or amount
   */
  TopUpResult credit(TopUp topUp);

  /** {@link #credit(TopUp)} from its parts; validates them the same way. */
  default TopUpResult credit(String accountId, long amountMicros, String reference) {
    return credit(new TopUp(AccountId.client(accountId), amountMicros, reference));
  }

  /**
   * Settles one request, once per request id: debits the client {@code total}, credits the node
   * {@code node} and the fee account {@code fee}, in one transaction. An identical settlement again
   * returns the original result with status {@code ALREADY_SETTLED} and changes nothing.
   *
   * @throws LedgerConflictException if the request id was settled with different content
   */
  SettlementResult settle(Settlement settlement);

  /** The balance in µUSD; 0 for an account that has no entries. */
  long balance(AccountId account);

  /** The settlement recorded for a request, if any. */
  Optional<Settlement> settlement(RequestId requestId);

  /**
   * An account's entries recorded in {@code [fromMs, toMs)}, for statements, ordered by time, then
   * reference, then kind name (all compared as ASCII).
   */
  List<JournalEntry> entries(AccountId account, long fromMs, long toMs);

  /** Sums over the whole journal, for invariant checks; not meant for the request path. */
  LedgerTotals totals();
}
