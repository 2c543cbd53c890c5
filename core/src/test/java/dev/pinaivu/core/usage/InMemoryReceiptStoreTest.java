package dev.pinaivu.core.usage;

class InMemoryReceiptStoreTest extends ReceiptStoreContract {
  @Override
  protected ReceiptStore newStore() {
    return new InMemoryReceiptStore();
  }

  @Override
  protected ReceiptStore reopen() {
    return store;
  }
}
