package dev.pinaivu.core.limits;

class InMemoryKeySpendTest extends KeySpendContract {
  @Override
  protected KeySpend newKeySpend() {
    return new InMemoryKeySpend();
  }
}
