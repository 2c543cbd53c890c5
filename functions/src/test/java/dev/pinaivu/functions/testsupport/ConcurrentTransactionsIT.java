package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.n;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Transactions from several clients at once. DynamoDB's transactions are serializable (developer
 * guide, "Isolation levels for DynamoDB transactions"); the front gets there by running one request
 * at a time, and these tests fail when it does not.
 */
class ConcurrentTransactionsIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final int ROUNDS = 60;
  private static final ExecutorService THREADS = Executors.newFixedThreadPool(2);

  private final DynamoDbClient one = FRONT.newClient();
  private final DynamoDbClient other = FRONT.newClient();
  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("concurrent");
    FRONT.createTable(table, PK);
  }

  @AfterEach
  void closeClients() {
    one.close();
    other.close();
  }

  @AfterAll
  static void stopThreads() {
    THREADS.shutdownNow();
  }

  @Test
  void twoTransactions_eachCheckingWhatTheOtherWrites_neverBothCommit() throws Exception {
    // each claims its own item if the other's is absent: serialized, exactly one of them commits
    CyclicBarrier start = new CyclicBarrier(2);
    Future<List<Integer>> ones = THREADS.submit(claims(one, "one", "other", start));
    Future<List<Integer>> others = THREADS.submit(claims(other, "other", "one", start));
    List<Integer> oneWon = ones.get(2, TimeUnit.MINUTES);
    List<Integer> otherWon = others.get(2, TimeUnit.MINUTES);

    for (int round = 0; round < ROUNDS; round++) {
      boolean first = stored(one, table, "one-" + round) != null;
      boolean second = stored(one, table, "other-" + round) != null;
      assertThat(first ^ second).as("round %d: exactly one claim committed", round).isTrue();
    }
    assertThat(oneWon.size() + otherWon.size()).isEqualTo(ROUNDS);
  }

  @Test
  void cancelledTransaction_neverUndoesAConcurrentCommit() throws Exception {
    one.putItem(b -> b.tableName(table).item(item("counter", "n", n(0))));
    CyclicBarrier start = new CyclicBarrier(2);
    // one adds 1 and commits; the other adds 1 beside a check that fails, so it is rolled back
    Future<Integer> commits =
        THREADS.submit(() -> {
          start.await();
          for (int i = 0; i < ROUNDS; i++) {
            one.transactWriteItems(b -> b.transactItems(addOne()));
          }
          return ROUNDS;
        });
    Future<Integer> cancels =
        THREADS.submit(() -> {
          start.await();
          int cancelled = 0;
          for (int i = 0; i < ROUNDS; i++) {
            try {
              other.transactWriteItems(b ->
                  b.transactItems(
                      addOne(),
                      TransactWriteItem.builder()
                          .conditionCheck(c ->
                              c.tableName(table)
                                  .key(key("never"))
                                  .conditionExpression("attribute_exists(pk)"))
                          .build()));
            } catch (TransactionCanceledException expected) {
              cancelled++;
            }
          }
          return cancelled;
        });

    assertThat(cancels.get(2, TimeUnit.MINUTES)).isEqualTo(ROUNDS);
    assertThat(commits.get(2, TimeUnit.MINUTES)).isEqualTo(ROUNDS);
    // a rollback that wrote back its old image over a commit would leave less
    assertThat(stored(one, table, "counter")).containsEntry("n", n(ROUNDS));
  }

  @Test
  void transactGetItems_neverSeesHalfATransaction() throws Exception {
    one.transactWriteItems(b -> b.transactItems(setBoth(0)));
    CyclicBarrier start = new CyclicBarrier(2);
    Future<?> writes =
        THREADS.submit(() -> {
          start.await();
          for (int i = 1; i <= ROUNDS; i++) {
            int value = i;
            one.transactWriteItems(b -> b.transactItems(setBoth(value)));
          }
          return null;
        });
    Future<List<String>> torn =
        THREADS.submit(() -> {
          start.await();
          List<String> seen = new ArrayList<>();
          for (int i = 0; i < ROUNDS; i++) {
            List<ItemResponse> both =
                other.transactGetItems(b -> b.transactItems(get("left"), get("right"))).responses();
            AttributeValue left = both.get(0).item().get("v");
            AttributeValue right = both.get(1).item().get("v");
            if (!left.equals(right)) {
              seen.add(left.n() + " / " + right.n());
            }
          }
          return seen;
        });

    writes.get(2, TimeUnit.MINUTES);
    assertThat(torn.get(2, TimeUnit.MINUTES)).isEmpty();
  }

  private Callable<List<Integer>> claims(
      DynamoDbClient dynamo, String mine, String theirs, CyclicBarrier start) {
    return () -> {
      List<Integer> won = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        start.await(1, TimeUnit.MINUTES); // both threads race for every round
        String theirItem = theirs + "-" + round;
        String myItem = mine + "-" + round;
        try {
          dynamo.transactWriteItems(b ->
              b.transactItems(
                  TransactWriteItem.builder()
                      .conditionCheck(c ->
                          c.tableName(table)
                              .key(key(theirItem))
                              .conditionExpression("attribute_not_exists(pk)"))
                      .build(),
                  TransactWriteItem.builder()
                      .put(p -> p.tableName(table).item(item(myItem)))
                      .build()));
          won.add(round);
        } catch (TransactionCanceledException lost) {
          // the other claim was there first
        }
      }
      return won;
    };
  }

  private TransactWriteItem addOne() {
    return TransactWriteItem.builder()
        .update(u ->
            u.tableName(table)
                .key(key("counter"))
                .updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", n(1))))
        .build();
  }

  private List<TransactWriteItem> setBoth(int value) {
    return List.of(set("left", value), set("right", value));
  }

  private TransactWriteItem set(String pk, int value) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item(pk, "v", n(value))))
        .build();
  }

  private TransactGetItem get(String pk) {
    return TransactGetItem.builder().get(g -> g.tableName(table).key(key(pk))).build();
  }
}
