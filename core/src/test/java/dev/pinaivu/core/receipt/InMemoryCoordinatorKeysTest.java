package dev.pinaivu.core.receipt;

class InMemoryCoordinatorKeysTest extends CoordinatorKeysContract {
  @Override
  protected CoordinatorKeys newKeys() {
    return new InMemoryCoordinatorKeys();
  }
}
