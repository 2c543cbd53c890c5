package dev.pinaivu.functions.store;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.KeySpend;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link KeySpend} on the network table: a record per request ({@code REQ#<id>/SPEND}, the
 * idempotency key) and a running total per key ({@code SPEND#<key>/TOTAL}), written in one
 * transaction, so that reading a key's spend is one consistent GetItem.
 */
public final class DynamoDbKeySpend implements KeySpend {
  private static final int MAX_ATTEMPTS = 10;

  private final NetworkTable table;

  public DynamoDbKeySpend(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public boolean recordSpend(String keyId, RequestId requestId, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("a spend cannot be negative: " + micros);
    }
    String operation = "record the spend of " + requestId;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Transaction tx = table.transaction();
      SpendWrites.record(tx, keyId, requestId, micros);
      Cancellation refused = table.transact(operation, tx);
      if (refused == null) {
        return true;
      }
      if (SpendWrites.recordedBefore(refused, keyId, requestId, micros)) {
        return false;
      }
    }
    throw new NetworkStoreException(operation, "refused " + MAX_ATTEMPTS + " times, no reason");
  }

  @Override
  public long spentMicros(String keyId) {
    return Attributes.longOf(
        table.get("read the spend of " + keyId, NetworkKeys.spendTotal(keyId)), SpendWrites.SPENT);
  }
}
