package dev.pinaivu.functions.store;

import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.limits.KeySpendContract;

/** The port's contract against the network table, through the transactions front. */
class DynamoDbKeySpendIT extends KeySpendContract {
  @Override
  protected KeySpend newKeySpend() {
    return new DynamoDbKeySpend(FrontTables.DYNAMO, FrontTables.create("spend"));
  }
}
