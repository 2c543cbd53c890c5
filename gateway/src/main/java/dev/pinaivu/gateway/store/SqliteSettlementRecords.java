package dev.pinaivu.gateway.store;

import dev.pinaivu.core.billing.SettlementRecords;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.usage.StoredReceipt;

/**
 * {@link SettlementRecords} on the embedded SQLite database: the receipt, the ledger settlement,
 * the key's spend and the deletion of the owed settlement in one transaction ({@link
 * SqliteDatabase#transaction} nests), so they commit with one fsync or not at all. The receipt's
 * insert comes first: when it finds the request already stored, nothing else is written.
 */
public final class SqliteSettlementRecords implements SettlementRecords {
  private final SqliteDatabase db;
  private final SqliteReceiptStore receipts;
  private final SqliteLedger ledger;
  private final SqliteKeySpend spend;
  private final SqlitePendingSettlements owed;

  public SqliteSettlementRecords(SqliteDatabase db) {
    this.db = db;
    this.receipts = new SqliteReceiptStore(db);
    this.ledger = new SqliteLedger(db);
    this.spend = new SqliteKeySpend(db);
    this.owed = new SqlitePendingSettlements(db);
  }

  @Override
  public boolean record(StoredReceipt receipt, Settlement payment) {
    if (!payment.requestId().equals(receipt.requestId())
        || payment.totalMicros() != receipt.totalChargedMicros()
        || !payment.client().value().equals(receipt.accountId())
        || !payment.node().value().equals(receipt.nodeId())) {
      throw new IllegalArgumentException(
          "the payment " + payment + " is not the receipt's of " + receipt.requestId());
    }
    return db.transaction(c -> {
      if (!receipts.save(receipt)) {
        return false;
      }
      ledger.settle(payment);
      spend.recordSpend(receipt.keyId(), receipt.requestId(), receipt.totalChargedMicros());
      owed.forget(receipt.requestId());
      return true;
    });
  }
}
