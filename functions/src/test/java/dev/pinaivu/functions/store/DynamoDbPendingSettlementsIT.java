package dev.pinaivu.functions.store;

import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.billing.PendingSettlementsContract;

/** The port's contract against the network table, through the transactions front. */
class DynamoDbPendingSettlementsIT extends PendingSettlementsContract {
  @Override
  protected PendingSettlements newStore() {
    return new DynamoDbPendingSettlements(FrontTables.DYNAMO, FrontTables.create("owed"));
  }
}
