package dev.pinaivu.core.limits;

import dev.pinaivu.core.ledger.InMemoryLedger;

class LedgerReservationsTest extends ReservationsContract {
  @Override
  protected Parts newParts() {
    InMemoryLedger ledger = new InMemoryLedger();
    InMemoryKeySpend spend = new InMemoryKeySpend();
    return new Parts(new LedgerReservations(ledger, spend), ledger, spend);
  }
}
