package dev.pinaivu.functions.store;

import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.LogStoreContract;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The port's contract again, through the transactions front: what the front does not implement
 * reaches dynalite untouched, so a store that passes on dynalite passes here too.
 */
class DynamoDbLogStoreThroughFrontIT extends LogStoreContract {
  private static final DynamoDbClient DYNAMO = DynamoTransactionsFront.shared().client();

  @Override
  protected LogStore newStore() {
    String table = DynamoTransactionsFront.uniqueTableName("log-front");
    DynamoDbLogStore.createTable(DYNAMO, table);
    return new DynamoDbLogStore(DYNAMO, table, "test.pinaivu.dev/log");
  }
}
