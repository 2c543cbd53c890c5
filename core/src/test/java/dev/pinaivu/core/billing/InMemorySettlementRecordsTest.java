package dev.pinaivu.core.billing;

import dev.pinaivu.core.ledger.InMemoryLedger;
import dev.pinaivu.core.limits.InMemoryKeySpend;
import dev.pinaivu.core.usage.InMemoryReceiptStore;

class InMemorySettlementRecordsTest extends SettlementRecordsContract {
  @Override
  protected Stores newStores() {
    InMemoryReceiptStore receipts = new InMemoryReceiptStore();
    InMemoryLedger ledger = new InMemoryLedger();
    InMemoryKeySpend spend = new InMemoryKeySpend();
    InMemoryPendingSettlements owed = new InMemoryPendingSettlements();
    return new Stores(
        new InMemorySettlementRecords(receipts, ledger, spend, owed),
        receipts,
        ledger,
        spend,
        owed);
  }
}
