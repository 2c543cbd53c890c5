package dev.pinaivu.core.ledger;

import java.time.InstantSource;

class InMemoryLedgerTest extends LedgerContract {
  @Override
  protected Ledger newLedger(InstantSource clock) {
    return new InMemoryLedger(clock);
  }
}
