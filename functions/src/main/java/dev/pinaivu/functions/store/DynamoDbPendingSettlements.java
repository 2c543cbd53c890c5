package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.billing.PendingSettlement;
import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link PendingSettlements} on the network table: an owed settlement is the item {@code
 * REQ#<id>/OWED}, holding the coordinator protocol's own {@code settle} message (read back with the
 * checks of one that came over the wire). gsi1 lists them by the time they were kept, spread over
 * 16 partitions ({@code OWED#0..15}) so that no one index partition takes every request's write;
 * {@link #keptUntil} queries the 16 and then reads each item consistently, since the index lags:
 * one settled or forgotten a moment ago is never returned, one kept a moment ago may wait for the
 * next retry.
 */
public final class DynamoDbPendingSettlements implements PendingSettlements {
  static final String ACCOUNT = "account";
  static final String KEY = "key";
  static final String SETTLE = "settle";
  static final String KEPT = "kept_ms";

  private static final Comparator<PendingSettlement> OLDEST_FIRST =
      Comparator.comparingLong(PendingSettlement::keptAtMs)
          .thenComparing(p -> p.requestId().value());

  private final NetworkTable table;

  public DynamoDbPendingSettlements(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public void keep(PendingSettlement p) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.owed(p.requestId()));
    item.put(ACCOUNT, s(p.accountId()));
    item.put(KEY, s(p.keyId()));
    item.put(SETTLE, s(RequestCodec.settle(0, p.request()).toString()));
    item.put(KEPT, n(p.keptAtMs()));
    item.put(NetworkTable.GSI1_PK, s(NetworkKeys.owedIndex(NetworkKeys.owedShard(p.requestId()))));
    item.put(NetworkTable.GSI1_SK, s(SortableTime.of(p.keptAtMs()) + "#" + p.requestId().value()));
    table.putIfAbsent("keep the settlement of " + p.requestId(), item); // the first one stays
  }

  @Override
  public Optional<PendingSettlement> find(RequestId requestId) {
    Map<String, AttributeValue> item =
        table.get("read the settlement of " + requestId, NetworkKeys.owed(requestId));
    return item == null ? Optional.empty() : Optional.of(settlement(item));
  }

  @Override
  public void forget(RequestId requestId) {
    table.delete("forget the settlement of " + requestId, NetworkKeys.owed(requestId));
  }

  @Override
  public List<PendingSettlement> keptUntil(long keptAtMs) {
    if (keptAtMs < 0) {
      return List.of();
    }
    String high = SortableTime.of(Math.min(keptAtMs, SortableTime.MAX)) + "$";
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int shard = 0; shard < NetworkKeys.OWED_SHARDS; shard++) {
      QueryRequest query =
          QueryRequest.builder()
              .indexName(NetworkTable.GSI1)
              .keyConditionExpression("#pk = :pk AND #sk < :high")
              .expressionAttributeNames(
                  Map.of("#pk", NetworkTable.GSI1_PK, "#sk", NetworkTable.GSI1_SK))
              .expressionAttributeValues(
                  Map.of(":pk", s(NetworkKeys.owedIndex(shard)), ":high", s(high)))
              .build();
      table.query("list owed settlements", query).stream()
          .map(NetworkKeys::keyOf)
          .forEach(keys::add);
    }
    return table.getAll("read owed settlements", keys).stream()
        .map(DynamoDbPendingSettlements::settlement)
        .sorted(OLDEST_FIRST)
        .toList();
  }

  private static PendingSettlement settlement(Map<String, AttributeValue> item) {
    String partition = string(item, NetworkTable.PK);
    return new PendingSettlement(
        RequestId.parse(partition.substring("REQ#".length())),
        string(item, ACCOUNT),
        string(item, KEY),
        RequestCodec.settle(parse(string(item, SETTLE))),
        longOf(item, KEPT));
  }

  private static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (IOException e) {
      throw new NetworkStoreException("read a kept settle request", e);
    }
  }
}
