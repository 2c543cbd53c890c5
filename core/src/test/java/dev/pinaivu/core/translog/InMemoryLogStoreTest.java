package dev.pinaivu.core.translog;

class InMemoryLogStoreTest extends LogStoreContract {
  @Override
  protected LogStore newStore() {
    return new InMemoryLogStore();
  }
}
