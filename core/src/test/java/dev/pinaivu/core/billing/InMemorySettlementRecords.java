package dev.pinaivu.core.billing;

import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;

/**
 * {@link SettlementRecords} over in-memory stores, for tests: the four writes under one lock, the
 * one that may refuse (the ledger's) first, so a refusal writes nothing.
 */
public final class InMemorySettlementRecords implements SettlementRecords {
  private final ReceiptStore receipts;
  private final Ledger ledger;
  private final KeySpend spend;
  private final PendingSettlements owed;

  public InMemorySettlementRecords(
      ReceiptStore receipts, Ledger ledger, KeySpend spend, PendingSettlements owed) {
    this.receipts = receipts;
    this.ledger = ledger;
    this.spend = spend;
    this.owed = owed;
  }

  @Override
  public synchronized boolean record(StoredReceipt receipt, Settlement payment) {
    if (!payment.requestId().equals(receipt.requestId())
        || payment.totalMicros() != receipt.totalChargedMicros()) {
      throw new IllegalArgumentException("the payment is not the receipt's");
    }
    if (receipts.find(receipt.requestId()).isPresent()) {
      return false;
    }
    ledger.settle(payment); // first: it is the write that may refuse, before anything is written
    spend.recordSpend(receipt.keyId(), receipt.requestId(), receipt.totalChargedMicros());
    receipts.save(receipt);
    owed.forget(receipt.requestId());
    return true;
  }
}
