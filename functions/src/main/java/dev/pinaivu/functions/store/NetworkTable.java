package dev.pinaivu.functions.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * The network's state table ({@code <prefix>network}, ADR 21): its creation, and every call the
 * stores make to it, each mapping the SDK's failures once. A condition that fails is an answer
 * ({@link UpdateOutcome}, {@link Cancellation}); anything else becomes a {@link
 * NetworkStoreException} naming the operation. Throttling ({@code ThrottlingException}, {@code
 * ProvisionedThroughputExceededException}, {@code RequestLimitExceeded}, {@code
 * TransactionInProgressException}), 5xx answers and I/O errors are retried by the SDK's DynamoDB
 * retry strategy (up to 9 attempts, or 4 under the SDK's 2026 retry defaults; exponential backoff
 * with jitter from 25 ms, at most 20 s); a transaction cancelled only by conflicts with concurrent
 * transactions or by throttling is retried here (up to 20 attempts, a new client request token
 * each), and so are the keys a BatchGetItem leaves unprocessed.
 */
public final class NetworkTable {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String GSI1 = "gsi1";
  static final String GSI1_PK = "gsi1pk";
  static final String GSI1_SK = "gsi1sk";
  static final String GSI2 = "gsi2";
  static final String GSI2_PK = "gsi2pk";
  static final String GSI2_SK = "gsi2sk";
  static final String TTL = "ttl";

  /** What gsi1 carries beside the keys: the receipt figures usage sums (ADR 21). */
  public static final List<String> GSI1_INCLUDES = ReceiptItems.FIGURES;

  private static final int MAX_TRANSACTION_ATTEMPTS = 20;
  private static final int BATCH_GET_SIZE = 100;

  private final DynamoDbClient dynamo;
  private final String table;

  NetworkTable(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** The outcome of a conditional update: the item after it, or as it was when refused. */
  record UpdateOutcome(boolean applied, Map<String, AttributeValue> item) {}

  /**
   * Creates the network table (on-demand, gsi1 and gsi2, TTL on {@code ttl}) and waits until it is
   * active.
   */
  public static void create(DynamoDbClient dynamo, String table) {
    call(
        "create table " + table,
        () -> {
          dynamo.createTable(b ->
              b.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      a -> a.attributeName(PK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(SK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(GSI1_PK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(GSI1_SK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(GSI2_PK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(GSI2_SK).attributeType(ScalarAttributeType.N))
                  .keySchema(
                      k -> k.attributeName(PK).keyType(KeyType.HASH),
                      k -> k.attributeName(SK).keyType(KeyType.RANGE))
                  .globalSecondaryIndexes(
                      g ->
                          g.indexName(GSI1)
                              .keySchema(
                                  k -> k.attributeName(GSI1_PK).keyType(KeyType.HASH),
                                  k -> k.attributeName(GSI1_SK).keyType(KeyType.RANGE))
                              .projection(p ->
                                  p.projectionType(ProjectionType.INCLUDE)
                                      .nonKeyAttributes(GSI1_INCLUDES)),
                      g ->
                          g.indexName(GSI2)
                              .keySchema(
                                  k -> k.attributeName(GSI2_PK).keyType(KeyType.HASH),
                                  k -> k.attributeName(GSI2_SK).keyType(KeyType.RANGE))
                              .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
          // the default first poll comes after 20 s; a local emulator is ready in milliseconds
          dynamo
              .waiter()
              .waitUntilTableExists(
                  b -> b.tableName(table),
                  o ->
                      o.backoffStrategyV2(
                              BackoffStrategy.exponentialDelayWithoutJitter(
                                  Duration.ofMillis(20), Duration.ofSeconds(5)))
                          .waitTimeout(Duration.ofMinutes(5)));
          dynamo.updateTimeToLive(b ->
              b.tableName(table).timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true)));
          return null;
        });
  }

  Transaction transaction() {
    return new Transaction(table);
  }

  /** The item, read consistently; null when there is none. */
  Map<String, AttributeValue> get(String operation, Map<String, AttributeValue> key) {
    return call(
        operation,
        () -> {
          var response = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
          return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
        });
  }

  /** The items that exist among {@code keys}, read consistently, in no particular order. */
  List<Map<String, AttributeValue>> getAll(
      String operation, List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += BATCH_GET_SIZE) {
      List<Map<String, AttributeValue>> batch =
          keys.subList(from, Math.min(keys.size(), from + BATCH_GET_SIZE));
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
      for (int attempt = 1; !request.isEmpty(); attempt++) {
        Map<String, KeysAndAttributes> asked = request;
        BatchGetItemResponse response =
            call(operation, () -> dynamo.batchGetItem(b -> b.requestItems(asked)));
        found.addAll(response.responses().getOrDefault(table, List.of()));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        if (!request.isEmpty()) {
          if (attempt == MAX_TRANSACTION_ATTEMPTS) {
            throw new NetworkStoreException(
                operation, "keys left unread after " + attempt + " tries");
          }
          pause(attempt); // DynamoDB hands back what it throttled; ask again, later
        }
      }
    }
    return found;
  }

  /** Every item the query matches, all pages. */
  List<Map<String, AttributeValue>> query(String operation, QueryRequest query) {
    QueryRequest withTable = query.toBuilder().tableName(table).build();
    return call(
        operation,
        () -> new ArrayList<>(dynamo.queryPaginator(withTable).items().stream().toList()));
  }

  /** Puts the item, replacing any with its key. */
  void put(String operation, Map<String, AttributeValue> item) {
    call(operation, () -> dynamo.putItem(b -> b.tableName(table).item(item)));
  }

  /** Puts the item unless one with its key exists; false then, and nothing is written. */
  boolean putIfAbsent(String operation, Map<String, AttributeValue> item) {
    Placeholders p = new Placeholders();
    return putIf(operation, item, new Conditions().absent().render(p), p);
  }

  /**
   * Puts the item under {@code condition} (names and values in {@code p}); false when it failed.
   */
  boolean putIf(
      String operation, Map<String, AttributeValue> item, String condition, Placeholders p) {
    return conditional(
        operation,
        () ->
            dynamo.putItem(b ->
                b.tableName(table)
                    .item(item)
                    .conditionExpression(condition)
                    .expressionAttributeNames(p.names())
                    .expressionAttributeValues(p.values())));
  }

  /** Deletes the item under {@code condition}; false, and nothing deleted, when it failed. */
  boolean deleteIf(
      String operation, Map<String, AttributeValue> key, String condition, Placeholders p) {
    return conditional(
        operation,
        () ->
            dynamo.deleteItem(b ->
                b.tableName(table)
                    .key(key)
                    .conditionExpression(condition)
                    .expressionAttributeNames(p.names())
                    .expressionAttributeValues(p.values())));
  }

  /** Runs one conditional write: true when written, false when its condition failed. */
  private static boolean conditional(String operation, Runnable write) {
    try {
      write.run();
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new NetworkStoreException(operation, e);
    }
  }

  /** The update, or the item as it was when its condition failed (empty if there was none). */
  UpdateOutcome update(String operation, ItemUpdate update, ReturnValue returnValue) {
    try {
      var response = dynamo.updateItem(update.toRequest(table, returnValue));
      return new UpdateOutcome(true, response.hasAttributes() ? response.attributes() : Map.of());
    } catch (ConditionalCheckFailedException e) {
      return new UpdateOutcome(false, e.hasItem() ? e.item() : Map.of());
    } catch (SdkException e) {
      throw new NetworkStoreException(operation, e);
    }
  }

  /**
   * An update under {@code condition}: applied, or refused with the item as it was (empty when
   * there was none), so the caller can tell which part of the condition failed without another
   * read.
   */
  UpdateOutcome updateIf(
      String operation,
      Map<String, AttributeValue> key,
      String update,
      String condition,
      Placeholders p) {
    try {
      dynamo.updateItem(b ->
          b.tableName(table)
              .key(key)
              .updateExpression(update)
              .conditionExpression(condition)
              .expressionAttributeNames(p.names())
              .expressionAttributeValues(p.values())
              .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return new UpdateOutcome(true, Map.of());
    } catch (ConditionalCheckFailedException e) {
      return new UpdateOutcome(false, e.hasItem() ? e.item() : Map.of());
    } catch (SdkException e) {
      throw new NetworkStoreException(operation, e);
    }
  }

  void delete(String operation, Map<String, AttributeValue> key) {
    call(operation, () -> dynamo.deleteItem(b -> b.tableName(table).key(key)));
  }

  /**
   * Runs the transaction: null when it was written, the cancellation when conditions failed (then
   * nothing was written). Conflicts with concurrent transactions are retried.
   */
  Cancellation transact(String operation, Transaction transaction) {
    for (int attempt = 1; ; attempt++) {
      // a token per attempt: the SDK's own retries of this attempt resend it, so a write that
      // landed but whose answer was lost is answered as done, not refused by its own condition
      String token = UUID.randomUUID().toString();
      SdkException failure;
      try {
        dynamo.transactWriteItems(transaction.request(token));
        return null;
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons.stream().anyMatch(r -> Cancellation.CONDITION_FAILED.equals(r.code()))) {
          return new Cancellation(transaction, reasons);
        }
        if (!retriable(reasons)) {
          throw new NetworkStoreException(operation, e);
        }
        failure = e;
      } catch (TransactionInProgressException e) {
        failure = e; // the SDK retried it already; another try with a new token
      } catch (SdkException e) {
        throw new NetworkStoreException(operation, e);
      }
      if (attempt == MAX_TRANSACTION_ATTEMPTS) {
        throw new NetworkStoreException(operation, failure);
      }
      pause(attempt);
    }
  }

  /** Only conflicts with other transactions and throttling: the same write may pass later. */
  private static boolean retriable(List<CancellationReason> reasons) {
    boolean any = false;
    for (CancellationReason reason : reasons) {
      String code = reason.code();
      if ("TransactionConflict".equals(code) || "ThrottlingError".equals(code)) {
        any = true;
      } else if (code != null && !"None".equals(code)) {
        return false;
      }
    }
    return any;
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10) + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetworkStoreException("wait before a retry", e);
    }
  }

  /** Runs one call; every SDK failure becomes a {@link NetworkStoreException}. */
  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw new NetworkStoreException(operation, e);
    }
  }
}
