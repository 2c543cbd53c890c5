package dev.pinaivu.functions.store;

import dev.pinaivu.core.billing.SettlementRecordsContract;
import dev.pinaivu.functions.testsupport.Dynalite;
import dev.pinaivu.functions.testsupport.LocalStack;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The settlement record's contract on LocalStack's DynamoDB (transactions as DynamoDB Local has
 * them, not the front's), where Docker exists; skipped elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbSettlementRecordsLocalStackIT extends SettlementRecordsContract {
  @Override
  protected Stores newStores() {
    DynamoDbClient dynamo = LocalStack.shared().client();
    String table = Dynalite.uniqueTableName("records-network");
    NetworkTable.create(dynamo, table);
    return NetworkStores.on(dynamo, table).forRecords();
  }
}
