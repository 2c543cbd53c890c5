package dev.pinaivu.functions.store;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.billing.Payments;
import dev.pinaivu.core.billing.SettlementRecordsContract;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.limits.ReservationsContract;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.InstantSource;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every store of one network table over one client, as one process holds them; two of these over
 * two clients are two processes sharing the table.
 */
record NetworkStores(
    DynamoDbSettlementRecords records,
    DynamoDbReceiptStore receipts,
    DynamoDbLedger ledger,
    DynamoDbKeySpend spend,
    DynamoDbPendingSettlements owed,
    DynamoDbReservations holds) {

  static NetworkStores on(DynamoDbClient dynamo, String table) {
    InstantSource clock = InstantSource.system();
    return new NetworkStores(
        new DynamoDbSettlementRecords(dynamo, table, clock),
        new DynamoDbReceiptStore(dynamo, table),
        new DynamoDbLedger(dynamo, table, clock),
        new DynamoDbKeySpend(dynamo, table),
        new DynamoDbPendingSettlements(dynamo, table),
        new DynamoDbReservations(dynamo, table));
  }

  SettlementRecordsContract.Stores forRecords() {
    return new SettlementRecordsContract.Stores(records, receipts, ledger, spend, owed);
  }

  ReservationsContract.Parts forHolds() {
    return new ReservationsContract.Parts(holds, ledger, spend);
  }

  /** A key of {@code acct_1}, as admission sees it. */
  static Caller caller(String keyId, Long budgetMicros) {
    return new Caller(keyId, "acct_1", Scope.all(), Set.of(), null, null, budgetMicros);
  }

  /** A signed receipt of {@code acct_1}'s key {@code key_1} and its payment. */
  record Billed(StoredReceipt receipt, Settlement payment) {
    static Billed of(RequestId id) {
      SignedReceipt signed =
          TestReceipt.signed(id, Outcome.COMPLETED, Usage.of(1200, 700), 700, 1_800_000_000_000L);
      StoredReceipt stored = StoredReceipt.of("acct_1", "key_1", signed);
      return new Billed(stored, Payments.of(stored, signed.receipt()));
    }
  }
}
