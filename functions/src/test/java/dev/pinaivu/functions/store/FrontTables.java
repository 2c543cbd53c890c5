package dev.pinaivu.functions.store;

import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Network tables on the JVM's transactions front: a new, empty one per test (tables are cheap). */
final class FrontTables {
  static final DynamoDbClient DYNAMO = DynamoTransactionsFront.shared().client();

  private FrontTables() {}

  /** A new network table, made as {@link NetworkTable#create} makes it for AWS. */
  static String create(String prefix) {
    String table = DynamoTransactionsFront.uniqueTableName(prefix + "-network");
    NetworkTable.create(DYNAMO, table);
    return table;
  }
}
