package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.n;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * TransactWriteItems' ClientRequestToken, as the DynamoDB API reference describes it: identical
 * calls with one token have the effect of one call, for 10 minutes after the first completes; the
 * same token with other parameters is an IdempotentParameterMismatchException.
 */
class ClientRequestTokenIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("client-token");
    FRONT.createTable(table, PK);
  }

  @Test
  void repeatedRequest_withTheSameToken_appliesOnce() {
    TransactWriteItemsRequest addOne = addOne(table, "token-1", 1);

    DYNAMO.transactWriteItems(addOne);
    DYNAMO.transactWriteItems(addOne); // a client's retry after a lost answer

    assertThat(stored(DYNAMO, table, "counter")).containsEntry("n", n(1));
  }

  @Test
  void otherRequest_withTheSameToken_isAMismatchAndAppliesNothing() {
    DYNAMO.transactWriteItems(addOne(table, "token-2", 1));

    assertThatThrownBy(() -> DYNAMO.transactWriteItems(addOne(table, "token-2", 5)))
        .isInstanceOf(IdempotentParameterMismatchException.class);
    assertThat(stored(DYNAMO, table, "counter")).containsEntry("n", n(1));
  }

  @Test
  void requestsWithoutAToken_eachApply() {
    // the SDK makes up a new token for each call that names none
    DYNAMO.transactWriteItems(addOne(table, null, 1));
    DYNAMO.transactWriteItems(addOne(table, null, 1));

    assertThat(stored(DYNAMO, table, "counter")).containsEntry("n", n(2));
  }

  @Test
  void cancelledRequest_isNotRemembered_soItsRepeatRunsAgain() {
    TransactWriteItemsRequest guarded =
        TransactWriteItemsRequest.builder()
            .clientRequestToken("token-3")
            .transactItems(
                TransactWriteItem.builder()
                    .conditionCheck(c ->
                        c.tableName(table)
                            .key(key("gate"))
                            .conditionExpression("attribute_exists(pk)"))
                    .build(),
                addOne(table, 1))
            .build();
    assertThatThrownBy(() -> DYNAMO.transactWriteItems(guarded))
        .isInstanceOf(TransactionCanceledException.class);

    DYNAMO.putItem(b -> b.tableName(table).item(item("gate")));
    DYNAMO.transactWriteItems(guarded);

    assertThat(stored(DYNAMO, table, "counter")).containsEntry("n", n(1));
  }

  @Test
  void repeatedRequest_afterTheWindow_isANewRequest() throws InterruptedException {
    Duration window = Duration.ofMillis(300);
    try (DynamoTransactionsFront front = DynamoTransactionsFront.start(window)) {
      String own = DynamoTransactionsFront.uniqueTableName("client-token-window");
      front.createTable(own, PK);
      TransactWriteItemsRequest addOne = addOne(own, "token-4", 1);
      long first = System.nanoTime();
      front.client().transactWriteItems(addOne);

      // repeats inside the window change nothing; the first one after it applies again
      long deadline = first + TimeUnit.SECONDS.toNanos(10);
      while (stored(front.client(), own, "counter").equals(item("counter", "n", n(1)))
          && System.nanoTime() < deadline) {
        front.client().transactWriteItems(addOne);
        Thread.sleep(20); // a pace for the repeats, not a synchronisation
      }
      long elapsed = System.nanoTime() - first;

      assertThat(stored(front.client(), own, "counter")).containsEntry("n", n(2));
      assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(window);
    }
  }

  private static TransactWriteItemsRequest addOne(String table, String token, long by) {
    return TransactWriteItemsRequest.builder()
        .clientRequestToken(token)
        .transactItems(addOne(table, by))
        .build();
  }

  private static TransactWriteItem addOne(String table, long by) {
    return TransactWriteItem.builder()
        .update(u ->
            u.tableName(table)
                .key(key("counter"))
                .updateExpression("ADD n :by")
                .expressionAttributeValues(Map.of(":by", n(by))))
        .build();
  }
}
