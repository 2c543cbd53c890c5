package dev.pinaivu.functions.store;

import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.LogStoreContract;
import dev.pinaivu.functions.testsupport.Dynalite;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The port's contract, against dynalite: each test gets a new table. */
class DynamoDbLogStoreIT extends LogStoreContract {
  private static final DynamoDbClient DYNAMO = Dynalite.shared().client();

  @Override
  protected LogStore newStore() {
    String table = Dynalite.uniqueTableName("log");
    DynamoDbLogStore.createTable(DYNAMO, table);
    return new DynamoDbLogStore(DYNAMO, table, "test.pinaivu.dev/log");
  }
}
