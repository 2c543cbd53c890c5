package dev.pinaivu.functions.store;

import dev.pinaivu.core.limits.ReservationsContract;
import dev.pinaivu.functions.testsupport.Dynalite;
import dev.pinaivu.functions.testsupport.LocalStack;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The holds' contract on LocalStack's DynamoDB, where concurrent transactions can conflict as on
 * DynamoDB (the front serialises them); skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbReservationsLocalStackIT extends ReservationsContract {
  @Override
  protected Parts newParts() {
    DynamoDbClient dynamo = LocalStack.shared().client();
    String table = Dynalite.uniqueTableName("holds-network");
    NetworkTable.create(dynamo, table);
    return NetworkStores.on(dynamo, table).forHolds();
  }
}
