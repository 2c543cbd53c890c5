package dev.pinaivu.core.node;

class InMemoryNodeRegistryTest extends NodeRegistryContract {
  @Override
  protected NodeRegistry newRegistry() {
    return new InMemoryNodeRegistry();
  }
}
