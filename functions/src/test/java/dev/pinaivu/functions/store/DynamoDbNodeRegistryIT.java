package dev.pinaivu.functions.store;

import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.NodeRegistryContract;

/**
 * The node registry's contract on the network table (dynalite, through the transactions front). The
 * adapter keeps nothing between calls, so the racing writers of the contract are as many processes.
 */
class DynamoDbNodeRegistryIT extends NodeRegistryContract {
  @Override
  protected NodeRegistry newRegistry() {
    return new DynamoDbNodeRegistry(FrontTables.DYNAMO, FrontTables.create("nodes"));
  }
}
