package dev.pinaivu.functions.store;

import dev.pinaivu.core.receipt.CoordinatorKeys;
import dev.pinaivu.core.receipt.CoordinatorKeysContract;

/** The port's contract against the network table, through the transactions front. */
class DynamoDbCoordinatorKeysIT extends CoordinatorKeysContract {
  @Override
  protected CoordinatorKeys newKeys() {
    return new DynamoDbCoordinatorKeys(FrontTables.DYNAMO, FrontTables.create("ckeys"));
  }
}
