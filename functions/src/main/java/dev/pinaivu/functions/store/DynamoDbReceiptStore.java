package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.usage.ReceiptFigures;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link ReceiptStore} on the network table: a receipt is the item {@code REQ#<id>/RECEIPT}, put
 * once on condition that it does not exist. An account's receipts by time come from gsi1, whose
 * projection holds their figures: {@link #figures} (usage) reads only the index, {@link #list} then
 * reads the receipts themselves. On DynamoDB the index lags a write by a moment, so a receipt saved
 * just now may be missing from both for that moment; {@link #find} reads it consistently.
 */
public final class DynamoDbReceiptStore implements ReceiptStore {
  private static final Comparator<StoredReceipt> BY_TIME =
      Comparator.comparingLong(StoredReceipt::issuedAtMs).thenComparing(r -> r.requestId().value());

  private final NetworkTable table;

  public DynamoDbReceiptStore(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public boolean save(StoredReceipt receipt) {
    return table.putIfAbsent(
        "save the receipt of " + receipt.requestId(), ReceiptItems.item(receipt));
  }

  @Override
  public Optional<StoredReceipt> find(RequestId requestId) {
    return Optional.ofNullable(table.get("read a receipt", NetworkKeys.receipt(requestId)))
        .map(ReceiptItems::receipt);
  }

  @Override
  public List<StoredReceipt> list(String accountId, long fromMs, long toMs) {
    List<Map<String, AttributeValue>> keys =
        indexed(accountId, fromMs, toMs).stream().map(NetworkKeys::keyOf).toList();
    return table.getAll("read listed receipts", keys).stream()
        .map(ReceiptItems::receipt)
        .sorted(BY_TIME)
        .toList();
  }

  @Override
  public List<ReceiptFigures> figures(String accountId, long fromMs, long toMs) {
    return indexed(accountId, fromMs, toMs).stream().map(ReceiptItems::figures).toList();
  }

  /**
   * Queries gsi2's 16 partitions for indexes from {@code index} (keys only), then reads the
   * receipts consistently. Like gsi1, the index may lag a receipt saved a moment ago.
   */
  @Override
  public List<SignedReceipt> loggedFrom(long index) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int shard = 0; shard < NetworkKeys.LOG_INDEX_SHARDS; shard++) {
      QueryRequest query =
          QueryRequest.builder()
              .indexName(NetworkTable.GSI2)
              .keyConditionExpression("#pk = :pk AND #sk >= :from")
              .expressionAttributeNames(
                  Map.of("#pk", NetworkTable.GSI2_PK, "#sk", NetworkTable.GSI2_SK))
              .expressionAttributeValues(
                  Map.of(":pk", s(NetworkKeys.logIndexShard(shard)), ":from", n(index)))
              .build();
      table.query("list the receipts logged from " + index, query).stream()
          .map(NetworkKeys::keyOf)
          .forEach(keys::add);
    }
    return table.getAll("read receipts logged from " + index, keys).stream()
        .map(ReceiptItems::receipt)
        .filter(r -> r.logIndex().isPresent())
        .sorted(Comparator.comparingLong(r -> r.logIndex().getAsLong()))
        .map(StoredReceipt::signed)
        .toList();
  }

  /** The account's receipts in the range as gsi1 holds them, in time then request id order. */
  private List<Map<String, AttributeValue>> indexed(String accountId, long fromMs, long toMs) {
    Optional<SortableTime.Range> range = SortableTime.range(fromMs, toMs);
    if (range.isEmpty()) {
      return List.of();
    }
    QueryRequest query =
        QueryRequest.builder()
            .indexName(NetworkTable.GSI1)
            .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
            .expressionAttributeNames(
                Map.of("#pk", NetworkTable.GSI1_PK, "#sk", NetworkTable.GSI1_SK))
            .expressionAttributeValues(
                Map.of(
                    ":pk", s(NetworkKeys.accountIndex(accountId)),
                    ":low", s(range.get().low()),
                    ":high", s(range.get().high())))
            .build();
    return table.query("list the receipts of " + accountId, query);
  }
}
