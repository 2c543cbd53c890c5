package dev.pinaivu.core.billing;

import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.usage.StoredReceipt;

/**
 * Port: records a finished settlement in one atomic write: stores the signed receipt, moves the
 * money (debit the client, credit the node and the fee account), adds the charge to the key's
 * spend, and forgets the owed settlement. All of it happens, or none: a crash at any moment leaves
 * either the owed settlement (retried later) or the whole record, never a receipt without its money
 * or money without its key's spend. One SQLite transaction locally, one TransactWriteItems on
 * DynamoDB. Every adapter passes {@code SettlementRecordsContract}.
 */
public interface SettlementRecords {
  /**
   * Records the settlement of {@code receipt} with its {@code payment}, once per request id.
   *
   * @return true when recorded now; false when the request's receipt was recorded before, in which
   *     case nothing changes
   * @throws IllegalArgumentException when the payment is not the receipt's (another request, other
   *     amounts)
   */
  boolean record(StoredReceipt receipt, Settlement payment);
}
