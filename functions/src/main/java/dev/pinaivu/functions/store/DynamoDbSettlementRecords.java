package dev.pinaivu.functions.store;

import dev.pinaivu.core.billing.SettlementRecords;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.InstantSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link SettlementRecords} on the network table: one TransactWriteItems of up to 12 items puts the
 * receipt and the settlement record (each on condition that it does not exist), moves the money
 * (client, node, one fee shard, three journal entries), adds the charge to the key's spend (with
 * its per-request record), deletes the owed settlement, and gives the request's hold back (deletes
 * {@code REQ#<id>/HOLD} and returns its amount to the account's {@code available} and the key's
 * {@code committed}), so that a crash at any moment leaves either nothing or all of it, and never a
 * hold on money already charged. The hold is read just before, and its delete is conditioned on the
 * amount read; a {@code Reservations.release} after this finds nothing to release.
 *
 * <p>When the transaction is cancelled, the items DynamoDB hands back tell the outcomes apart: the
 * receipt exists (recorded before: false, nothing changes); the settlement exists with the same
 * content (the ledger moved the money before, alone: the rest is written without it) or another (a
 * {@link LedgerConflictException}); a balance or the key's spend would overflow; the hold changed
 * (read it again).
 */
public final class DynamoDbSettlementRecords implements SettlementRecords {
  private static final int MAX_ATTEMPTS = 10;
  private static final String RECEIPT = "receipt";
  private static final String OWED = "owed";

  private final NetworkTable table;
  private final InstantSource clock;

  public DynamoDbSettlementRecords(DynamoDbClient dynamo, String table, InstantSource clock) {
    this.table = new NetworkTable(dynamo, table);
    this.clock = clock;
  }

  @Override
  public boolean record(StoredReceipt receipt, Settlement payment) {
    if (!payment.requestId().equals(receipt.requestId())
        || payment.totalMicros() != receipt.totalChargedMicros()
        || !payment.client().value().equals(receipt.accountId())
        || !payment.node().value().equals(receipt.nodeId())) {
      throw new IllegalArgumentException(
          "the payment " + payment + " is not the receipt's of " + receipt.requestId());
    }
    String operation = "record the settlement of " + receipt.requestId();
    boolean moneyMoved = false;
    boolean spendCounted = false;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long now = clock.millis();
      Hold hold =
          Hold.of(
              receipt.requestId(),
              table.get(
                  "read the hold of " + receipt.requestId(),
                  NetworkKeys.hold(receipt.requestId())));
      Transaction tx = table.transaction();
      tx.put(RECEIPT, ReceiptItems.item(receipt), new Conditions().absent());
      if (!moneyMoved) {
        LedgerWrites.settle(tx, payment, now);
      }
      if (!spendCounted) {
        SpendWrites.record(tx, receipt.keyId(), receipt.requestId(), receipt.totalChargedMicros());
      }
      tx.delete(OWED, NetworkKeys.owed(receipt.requestId()), new Conditions());
      if (hold != null) {
        hold.release(tx);
      }
      Cancellation refused = table.transact(operation, tx);
      if (refused == null) {
        return true;
      }
      if (refused.failed(RECEIPT)) {
        return false;
      }
      if (refused.failed(LedgerWrites.SETTLED)) {
        Settlement recorded =
            LedgerItems.settlement(receipt.requestId(), refused.item(LedgerWrites.SETTLED));
        if (!recorded.equals(payment)) {
          throw LedgerConflictException.of(recorded, payment);
        }
        moneyMoved = true;
        continue;
      }
      if (!moneyMoved) {
        LedgerWrites.refuseOverflow(
            refused, payment.entries(now), NetworkKeys.feeShard(payment.requestId()));
      }
      if (!spendCounted
          && SpendWrites.recordedBefore(
              refused, receipt.keyId(), receipt.requestId(), receipt.totalChargedMicros())) {
        spendCounted = true;
      }
      // otherwise the hold changed since it was read: read it again
    }
    throw new NetworkStoreException(operation, "refused " + MAX_ATTEMPTS + " times");
  }
}
