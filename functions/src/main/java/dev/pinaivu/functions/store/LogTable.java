package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.LogItems.CHECKPOINT;
import static dev.pinaivu.functions.store.LogItems.CHECKPOINT_SIZE;
import static dev.pinaivu.functions.store.LogItems.FENCE;
import static dev.pinaivu.functions.store.LogItems.HASH_INDEX;
import static dev.pinaivu.functions.store.LogItems.HASH_KEY;
import static dev.pinaivu.functions.store.LogItems.LEAF_HASH;
import static dev.pinaivu.functions.store.LogItems.PK;
import static dev.pinaivu.functions.store.LogItems.SIZE;
import static dev.pinaivu.functions.store.LogItems.SK;
import static dev.pinaivu.functions.store.LogItems.n;
import static dev.pinaivu.functions.store.LogItems.s;

import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.Tile;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The DynamoDB calls of one log, each one request: what they read and on which condition they
 * write. Conditional writes answer false when their condition failed; any other SDK failure becomes
 * a {@link LogStoreException} naming the operation. The rules deciding which call comes when are
 * {@link DynamoDbLogStore}'s.
 */
final class LogTable {
  private final DynamoDbClient dynamo;
  private final String table;
  private final LogItems items;

  LogTable(DynamoDbClient dynamo, String table, LogItems items) {
    this.dynamo = dynamo;
    this.table = table;
    this.items = items;
  }

  static void create(DynamoDbClient dynamo, String table) {
    call(
        "create table " + table,
        () -> {
          dynamo.createTable(b ->
              b.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      a -> a.attributeName(PK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(SK).attributeType(ScalarAttributeType.N),
                      a -> a.attributeName(HASH_KEY).attributeType(ScalarAttributeType.S))
                  .keySchema(
                      k -> k.attributeName(PK).keyType(KeyType.HASH),
                      k -> k.attributeName(SK).keyType(KeyType.RANGE))
                  .globalSecondaryIndexes(g ->
                      g.indexName(HASH_INDEX)
                          .keySchema(
                              k -> k.attributeName(HASH_KEY).keyType(KeyType.HASH),
                              k -> k.attributeName(SK).keyType(KeyType.RANGE))
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
          return null;
        });
  }

  /** The head, read consistently. */
  Head head(String operation) {
    return call(
        operation,
        () ->
            Head.of(
                dynamo
                    .getItem(b -> b.tableName(table).key(items.headKey()).consistentRead(true))
                    .item()));
  }

  /** Takes the next fence and reads the size, in one atomic update; creates the head if absent. */
  Head claim() {
    return call(
        "claim a fence",
        () ->
            Head.of(
                dynamo
                    .updateItem(b ->
                        b.tableName(table)
                            .key(items.headKey())
                            .updateExpression("ADD #f :one SET #s = if_not_exists(#s, :zero)")
                            .expressionAttributeNames(Map.of("#f", FENCE, "#s", SIZE))
                            .expressionAttributeValues(Map.of(":one", n(1), ":zero", n(0)))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes()));
  }

  /** Writes a leaf if its slot is empty or was written under a fence no larger than this one. */
  boolean putLeaf(long index, byte[] data, long fence) {
    // "<=" and not "<": the SDK may resend a put that in fact landed, and that must still pass
    return conditional(
        "write leaf " + index,
        () ->
            dynamo.putItem(b ->
                b.tableName(table)
                    .item(items.leaf(index, data, fence))
                    .conditionExpression("attribute_not_exists(#pk) OR #f <= :f")
                    .expressionAttributeNames(Map.of("#pk", PK, "#f", FENCE))
                    .expressionAttributeValues(Map.of(":f", n(fence)))));
  }

  /**
   * Sets the size to {@code to} if the head still has the claimed size and fence, and stores {@code
   * checkpoint} (when not null) in the same update, on condition that no larger one is.
   */
  boolean commit(Head claimed, long to, SignedCheckpoint checkpoint) {
    Map<String, String> names = new HashMap<>(Map.of("#s", SIZE, "#f", FENCE));
    Map<String, AttributeValue> values =
        new HashMap<>(Map.of(":to", n(to), ":from", n(claimed.size()), ":f", n(claimed.fence())));
    String update = "SET #s = :to";
    String condition = "#s = :from AND #f = :f";
    if (checkpoint != null) {
      names.putAll(Map.of("#c", CHECKPOINT, "#cs", CHECKPOINT_SIZE));
      values.putAll(
          Map.of(":c", s(checkpoint.format()), ":cs", n(checkpoint.checkpoint().treeSize())));
      update += ", #c = :c, #cs = :cs";
      condition += " AND (attribute_not_exists(#cs) OR #cs <= :cs)";
    }
    UpdateItemRequest request =
        UpdateItemRequest.builder()
            .tableName(table)
            .key(items.headKey())
            .updateExpression(update)
            .conditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .build();
    return conditional("commit size " + to, () -> dynamo.updateItem(request));
  }

  /** Stores the checkpoint unless one of a larger tree is stored. */
  boolean saveCheckpoint(SignedCheckpoint checkpoint) {
    return conditional(
        "save a checkpoint",
        () ->
            dynamo.updateItem(b ->
                b.tableName(table)
                    .key(items.headKey())
                    .updateExpression("SET #c = :c, #cs = :cs")
                    .conditionExpression("attribute_not_exists(#cs) OR #cs <= :cs")
                    .expressionAttributeNames(Map.of("#c", CHECKPOINT, "#cs", CHECKPOINT_SIZE))
                    .expressionAttributeValues(
                        Map.of(
                            ":c",
                            s(checkpoint.format()),
                            ":cs",
                            n(checkpoint.checkpoint().treeSize())))));
  }

  /** The tile's item, read consistently; empty if none. */
  Map<String, AttributeValue> tile(int level, long index) {
    return call(
        "read tile " + level + "/" + index,
        () ->
            dynamo
                .getItem(
                    b -> b.tableName(table).key(items.tileKey(level, index)).consistentRead(true))
                .item());
  }

  /** Writes a tile unless one at least as wide is stored (then it is a prefix of that one). */
  boolean putTile(Tile tile) {
    return conditional(
        "write tile " + tile.level() + "/" + tile.index(),
        () ->
            dynamo.putItem(b ->
                b.tableName(table)
                    .item(items.tile(tile))
                    .conditionExpression("attribute_not_exists(#pk) OR #w < :w")
                    .expressionAttributeNames(Map.of("#pk", PK, "#w", LogItems.WIDTH))
                    .expressionAttributeValues(Map.of(":w", n(tile.width())))));
  }

  /** The sort key and {@code attribute} of leaf {@code index}, read consistently; empty if none. */
  Map<String, AttributeValue> leaf(long index, String attribute) {
    return call(
        "read leaf " + index,
        () ->
            dynamo
                .getItem(b ->
                    b.tableName(table)
                        .key(items.leafKey(index))
                        .consistentRead(true)
                        .projectionExpression("#sk, #a")
                        .expressionAttributeNames(Map.of("#sk", SK, "#a", attribute)))
                .item());
  }

  /** Hands the leaves {@code from..last}'s sort key and leaf hash to {@code sink}, in order. */
  void leafHashes(long from, long last, Consumer<Map<String, AttributeValue>> sink) {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :p AND #sk BETWEEN :from AND :last")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#h", LEAF_HASH))
            .expressionAttributeValues(
                Map.of(":p", s(items.leafPartition()), ":from", n(from), ":last", n(last)))
            .projectionExpression("#sk, #h")
            .consistentRead(true)
            .build();
    call(
        "read leaf hashes",
        () -> {
          dynamo.queryPaginator(query).items().forEach(sink);
          return null;
        });
  }

  /**
   * The indices below {@code size} the hash index lists for {@code leafHash}, ascending, lazily.
   * The index is eventually consistent: it may miss a fresh leaf or list an overwritten one.
   */
  Iterable<Map<String, AttributeValue>> indexedLeaves(Hash leafHash, long size) {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .indexName(HASH_INDEX)
            .keyConditionExpression("#hk = :k AND #sk < :size")
            .expressionAttributeNames(Map.of("#hk", HASH_KEY, "#sk", SK))
            .expressionAttributeValues(Map.of(":k", s(items.hashKey(leafHash)), ":size", n(size)))
            .scanIndexForward(true)
            .build();
    return call("find a leaf hash", () -> dynamo.queryPaginator(query).items());
  }

  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw new LogStoreException(operation, e);
    }
  }

  private static boolean conditional(String operation, Runnable write) {
    try {
      write.run();
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new LogStoreException(operation, e);
    }
  }
}
