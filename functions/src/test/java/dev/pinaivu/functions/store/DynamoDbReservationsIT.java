package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.NetworkStores.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.limits.InsufficientCreditException;
import dev.pinaivu.core.limits.ReservationsContract;
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
 * The port's contract against the network table, through the transactions front; and that {@code
 * available} follows every write that moves a balance or a hold, also between processes.
 */
class DynamoDbReservationsIT extends ReservationsContract {
  private static final AccountId ACCOUNT = AccountId.client("acct_1");
  private static final AccountId NODE = AccountId.parse("node_0000000000000000000000000a");

  @Override
  protected Parts newParts() {
    return NetworkStores.on(FrontTables.DYNAMO, FrontTables.create("holds")).forHolds();
  }

  private static NetworkStores stores() {
    return NetworkStores.on(FrontTables.DYNAMO, FrontTables.create("holds"));
  }

  @Test
  void aHold_afterCredits_seesThemAll() {
    NetworkStores stores = stores();
    stores.ledger().credit("acct_1", 60, "pay_1");
    stores.ledger().credit("acct_1", 40, "pay_2");
    stores.ledger().credit("acct_1", 40, "pay_2"); // a retry credits nothing

    stores.holds().hold(RequestId.next(), caller("key_1", null), 100);

    assertThatThrownBy(() -> stores.holds().hold(RequestId.next(), caller("key_1", null), 1))
        .isInstanceOf(InsufficientCreditException.class)
        .hasMessageContaining("has $0 available");
  }

  @Test
  void aHold_afterASettlement_seesTheBalanceLessTheCharge() {
    NetworkStores stores = stores();
    stores.ledger().credit("acct_1", 100, "pay_1");
    stores.ledger().settle(new Settlement(RequestId.next(), ACCOUNT, NODE, 30, 27, 3));

    assertThatThrownBy(() -> stores.holds().hold(RequestId.next(), caller("key_1", null), 71))
        .isInstanceOf(InsufficientCreditException.class)
        .hasMessageContaining("has $0.00007 available");
    stores.holds().hold(RequestId.next(), caller("key_1", null), 70);
    assertThat(stores.holds().heldMicros("acct_1")).isEqualTo(70);
  }

  @Test
  void aHold_afterARecordedSettlement_seesTheChargeAndNotTheReleasedHold() {
    NetworkStores stores = stores();
    stores.ledger().credit("acct_1", 1_000_000, "pay_1");
    RequestId id = RequestId.next();
    Billed billed = Billed.of(id);
    stores.holds().hold(id, caller("key_1", 1_000_000L), 400_000);

    stores.records().record(billed.receipt(), billed.payment());

    long left = 1_000_000 - billed.payment().totalMicros();
    assertThatThrownBy(() -> stores.holds().hold(RequestId.next(), caller("key_1", null), left + 1))
        .isInstanceOf(InsufficientCreditException.class);
    // the key's budget counts the spend and nothing of the released hold
    assertThatThrownBy(
            () -> stores.holds().hold(RequestId.next(), caller("key_1", 1_000_000L), left + 1))
        .isInstanceOf(InsufficientCreditException.class);
    stores.holds().hold(RequestId.next(), caller("key_1", 1_000_000L), left);
  }

  @Test
  void restore_ofARequestAlreadySettled_holdsNothing() {
    NetworkStores stores = stores();
    RequestId id = RequestId.next();
    Billed billed = Billed.of(id);
    stores.records().record(billed.receipt(), billed.payment());

    stores.holds().restore(id, "acct_1", "key_1", 500);

    assertThat(stores.holds().heldMicros("acct_1")).isZero();
  }

  @Test
  void holdsOfTwoProcesses_racingForOneAccount_neverExceedItsBalance() throws Exception {
    String table = FrontTables.create("holds");
    try (DynamoDbClient second = DynamoTransactionsFront.shared().newClient()) {
      NetworkStores one = NetworkStores.on(FrontTables.DYNAMO, table);
      NetworkStores two = NetworkStores.on(second, table);
      one.ledger().credit("acct_1", 300, "pay_1");
      List<Callable<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        NetworkStores process = i % 2 == 0 ? one : two;
        String key = "key_" + i % 3;
        attempts.add(() -> {
          try {
            process.holds().hold(RequestId.next(), caller(key, 1_000L), 7);
            return true;
          } catch (InsufficientCreditException e) {
            return false;
          }
        });
      }

      int held = 0;
      try (var pool = Executors.newFixedThreadPool(16)) {
        for (Future<Boolean> f : pool.invokeAll(attempts)) {
          held += f.get() ? 1 : 0;
        }
      }

      assertThat(held).isEqualTo(300 / 7);
      assertThat(two.holds().heldMicros("acct_1")).isEqualTo(7L * held).isLessThanOrEqualTo(300);
      assertThat(one.ledger().balance(ACCOUNT)).isEqualTo(300);
    }
  }
}
