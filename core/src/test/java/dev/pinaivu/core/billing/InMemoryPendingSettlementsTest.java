package dev.pinaivu.core.billing;

class InMemoryPendingSettlementsTest extends PendingSettlementsContract {
  @Override
  protected PendingSettlements newStore() {
    return new InMemoryPendingSettlements();
  }
}
