package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.CoordinatorKeys;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link CoordinatorKeys} on the network table: one item {@code CKEY/<key id>} per key, put once
 * (on condition that it does not exist, so the first sighting stays), all in one partition read by
 * one Query: a network sees a new coordinator key per coordinator start, a few a day at most.
 */
public final class DynamoDbCoordinatorKeys implements CoordinatorKeys {
  private static final String PARTITION = "CKEY";
  private static final String PUBLIC_KEY = "public_key";
  private static final String KIND = "kind";
  private static final String ATTESTATION = "attestation";
  private static final String SEEN = "seen_ms";

  private static final Comparator<Map<String, AttributeValue>> MOST_RECENT_FIRST =
      Comparator.<Map<String, AttributeValue>>comparingLong(item -> -longOf(item, SEEN))
          .thenComparing(item -> string(item, NetworkTable.SK));

  private final NetworkTable table;

  public DynamoDbCoordinatorKeys(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public void remember(CoordinatorKey key, long nowMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.key(PARTITION, key.keyId()));
    item.put(PUBLIC_KEY, AttributeValue.fromB(SdkBytes.fromByteArray(key.publicKey())));
    item.put(KIND, s(key.kind().name()));
    if (key.attestation() != null) {
      item.put(ATTESTATION, AttributeValue.fromB(SdkBytes.fromByteArray(key.attestation())));
    }
    item.put(SEEN, n(nowMs));
    table.putIfAbsent("remember coordinator key " + key.keyId(), item); // a repeat: no change
  }

  @Override
  public Optional<CoordinatorKey> find(String keyId) {
    return Optional.ofNullable(
            table.get("read coordinator key " + keyId, NetworkKeys.key(PARTITION, keyId)))
        .map(DynamoDbCoordinatorKeys::keyOf);
  }

  @Override
  public List<CoordinatorKey> all() {
    QueryRequest query =
        QueryRequest.builder()
            .keyConditionExpression("#pk = :pk")
            .expressionAttributeNames(Map.of("#pk", NetworkTable.PK))
            .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
            .consistentRead(true)
            .build();
    return table.query("list the coordinator keys", query).stream()
        .sorted(MOST_RECENT_FIRST)
        .map(DynamoDbCoordinatorKeys::keyOf)
        .toList();
  }

  private static CoordinatorKey keyOf(Map<String, AttributeValue> item) {
    AttributeValue attestation = item.get(ATTESTATION);
    return new CoordinatorKey(
        string(item, NetworkTable.SK),
        item.get(PUBLIC_KEY).b().asByteArray(),
        CoordinatorKey.Kind.valueOf(string(item, KIND)),
        attestation == null ? null : attestation.b().asByteArray());
  }
}
