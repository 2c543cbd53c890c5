package dev.pinaivu.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.billing.SettlementRecordsContract;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.LedgerAudit;
import dev.pinaivu.functions.store.NetworkStores.Billed;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The port's contract against the network table, through the transactions front, and what the
 * DynamoDB record adds: it gives the request's hold back in the same transaction, and two processes
 * recording one request charge it once.
 */
class DynamoDbSettlementRecordsIT extends SettlementRecordsContract {
  private static final AccountId ACCOUNT = AccountId.client("acct_1");

  @Override
  protected Stores newStores() {
    return NetworkStores.on(FrontTables.DYNAMO, FrontTables.create("records")).forRecords();
  }

  @Test
  void record_givesTheHoldBack_inTheSameWrite_andAReleaseAfterItChangesNothing() {
    NetworkStores stores = NetworkStores.on(FrontTables.DYNAMO, FrontTables.create("records"));
    stores.ledger().credit("acct_1", 1_000_000, "pay_1");
    RequestId id = RequestId.next();
    Billed billed = Billed.of(id);
    stores.holds().hold(id, NetworkStores.caller("key_1", 2_000_000L), 50_000);
    assertThat(stores.holds().heldMicros("acct_1")).isEqualTo(50_000);

    assertThat(stores.records().record(billed.receipt(), billed.payment())).isTrue();

    long balance = 1_000_000 - billed.payment().totalMicros();
    assertThat(stores.ledger().balance(ACCOUNT)).isEqualTo(balance);
    assertThat(stores.holds().heldMicros("acct_1")).isZero(); // as if the process died here
    stores.holds().release(id); // what RequestSettler does next
    assertThat(stores.holds().heldMicros("acct_1")).isZero();
    assertThat(stores.ledger().balance(ACCOUNT)).isEqualTo(balance);
    // all of the balance is available again, exactly, and the key's budget counts only the spend
    stores.holds().hold(RequestId.next(), NetworkStores.caller("key_1", 2_000_000L), balance);
    assertThat(stores.holds().heldMicros("acct_1")).isEqualTo(balance);
  }

  @Test
  void record_whenTheLedgerSettledTheRequestAlone_writesTheRestAndReleasesTheHold() {
    NetworkStores stores = NetworkStores.on(FrontTables.DYNAMO, FrontTables.create("records"));
    stores.ledger().credit("acct_1", 1_000_000, "pay_1");
    RequestId id = RequestId.next();
    Billed billed = Billed.of(id);
    stores.holds().hold(id, NetworkStores.caller("key_1", null), 50_000);
    stores.ledger().settle(billed.payment());

    assertThat(stores.records().record(billed.receipt(), billed.payment())).isTrue();

    assertThat(stores.receipts().find(id)).isPresent();
    assertThat(stores.spend().spentMicros("key_1")).isEqualTo(billed.payment().totalMicros());
    assertThat(stores.ledger().balance(ACCOUNT))
        .isEqualTo(1_000_000 - billed.payment().totalMicros());
    assertThat(stores.holds().heldMicros("acct_1")).isZero();
  }

  @Test
  void record_byTwoProcessesAtOnce_chargesEachRequestOnce() throws Exception {
    String table = FrontTables.create("records");
    try (DynamoDbClient second = DynamoTransactionsFront.shared().newClient()) {
      NetworkStores one = NetworkStores.on(FrontTables.DYNAMO, table);
      NetworkStores two = NetworkStores.on(second, table);
      one.ledger().credit("acct_1", 10_000_000, "pay_1");
      List<Billed> requests = new ArrayList<>();
      List<Callable<Boolean>> work = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Billed billed = Billed.of(RequestId.next());
        requests.add(billed);
        one.holds().hold(billed.receipt().requestId(), NetworkStores.caller("key_1", null), 9_000);
        for (NetworkStores process : List.of(one, two, one, two)) {
          work.add(() -> process.records().record(billed.receipt(), billed.payment()));
        }
      }

      int recorded = 0;
      try (var pool = Executors.newFixedThreadPool(8)) {
        for (Future<Boolean> f : pool.invokeAll(work)) {
          recorded += f.get() ? 1 : 0;
        }
      }

      long charged = requests.stream().mapToLong(b -> b.payment().totalMicros()).sum();
      assertThat(recorded).isEqualTo(requests.size());
      assertThat(one.ledger().balance(ACCOUNT)).isEqualTo(10_000_000 - charged);
      assertThat(two.spend().spentMicros("key_1")).isEqualTo(charged);
      assertThat(one.holds().heldMicros("acct_1")).isZero();
      assertThat(one.ledger().totals().clientDebitsMicros()).isEqualTo(charged);
      LedgerAudit.assertBooksBalance(
          one.ledger(), List.of(ACCOUNT), List.of(requests.getFirst().payment().node()));
    }
  }
}
