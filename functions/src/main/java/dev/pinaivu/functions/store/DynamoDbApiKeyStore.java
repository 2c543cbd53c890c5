package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ApiKeyStore} on the network table. A key is its item {@code KEY#<hash>} (what the request
 * path reads: one consistent GetItem) and an id item {@code KEYID#<id>} pointing to the hash,
 * written together in one transaction on condition that neither exists, so hashes and ids are both
 * unique. Listing goes through gsi1 ({@code KEYS}, by creation time), then reads the items
 * themselves consistently; on DynamoDB a key inserted a moment ago may be missing from a list (the
 * index lags), never from {@link #findByHash} or {@link #findById}.
 */
public final class DynamoDbApiKeyStore implements ApiKeyStore {
  private static final Comparator<ApiKeyRecord> BY_CREATION =
      Comparator.comparingLong(ApiKeyRecord::createdAtMs).thenComparing(ApiKeyRecord::id);

  private final NetworkTable table;

  public DynamoDbApiKeyStore(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public void insert(ApiKeyRecord record) {
    Transaction insert =
        table
            .transaction()
            .put("key", ApiKeyItems.item(record), new Conditions().absent())
            .put("id", ApiKeyItems.idItem(record), new Conditions().absent());
    if (table.transact("insert key " + record.id(), insert) != null) {
      throw new IllegalArgumentException("a key with this id or hash already exists");
    }
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    return Optional.ofNullable(table.get("read a key", NetworkKeys.apiKey(keyHash)))
        .map(ApiKeyItems::record);
  }

  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    return hashOf(id).flatMap(this::findByHash);
  }

  @Override
  public List<ApiKeyRecord> list() {
    QueryRequest query =
        QueryRequest.builder()
            .indexName(NetworkTable.GSI1)
            .keyConditionExpression("#p = :p")
            .expressionAttributeNames(Map.of("#p", NetworkTable.GSI1_PK))
            .expressionAttributeValues(Map.of(":p", s(NetworkKeys.API_KEYS_INDEX)))
            .build();
    List<Map<String, AttributeValue>> keys =
        table.query("list keys", query).stream().map(NetworkKeys::keyOf).toList();
    return table.getAll("read listed keys", keys).stream()
        .map(ApiKeyItems::record)
        .sorted(BY_CREATION)
        .toList();
  }

  @Override
  public boolean revoke(String id, long atMs) {
    Optional<String> hash = hashOf(id);
    if (hash.isEmpty()) {
      return false;
    }
    ItemUpdate revoke =
        new ItemUpdate(NetworkKeys.apiKey(hash.get())).set(ApiKeyItems.REVOKED, n(atMs));
    revoke.require().present().absent(ApiKeyItems.REVOKED);
    return table.update("revoke key " + id, revoke, ReturnValue.NONE).applied();
  }

  private Optional<String> hashOf(String id) {
    return Optional.ofNullable(table.get("read a key id", NetworkKeys.apiKeyId(id)))
        .map(item -> string(item, ApiKeyItems.HASH));
  }
}
