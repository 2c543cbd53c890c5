package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.Settlement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Reservations} adapter must do: holds that never add up to more than an
 * account's balance or a key's budget left, however many race. An adapter's test supplies the
 * reservations over the ledger and key spend it reads, all empty.
 */
public abstract class ReservationsContract {
  /** The adapter and the stores it reads. */
  public record Parts(Reservations holds, Ledger ledger, KeySpend spend) {}

  private Parts parts;

  protected abstract Parts newParts();

  @BeforeEach
  void create() {
    parts = newParts();
  }

  private static Caller caller(String key, Long budget) {
    return new Caller(key, "acct_1", Scope.all(), Set.of(), null, null, budget);
  }

  @Test
  void aHoldWithinTheBalance_isTaken_andCountsAgainstTheNext() {
    parts.ledger().credit("acct_1", 100, "pay_1");
    parts.holds().hold(RequestId.next(), caller("key_1", null), 60);

    assertThat(parts.holds().heldMicros("acct_1")).isEqualTo(60);
    assertThatThrownBy(() -> parts.holds().hold(RequestId.next(), caller("key_1", null), 41))
        .isInstanceOf(InsufficientCreditException.class)
        .hasMessageContaining("$0.00004");
  }

  @Test
  void aHoldOfAnAccountWithoutCredit_isRefused() {
    assertThatThrownBy(() -> parts.holds().hold(RequestId.next(), caller("key_1", null), 1))
        .isInstanceOf(InsufficientCreditException.class);
    assertThat(parts.holds().heldMicros("acct_1")).isZero();
  }

  @Test
  void aKeysBudget_capsItsHolds_beside_whatItSpent() {
    parts.ledger().credit("acct_1", 1_000, "pay_1");
    parts.spend().recordSpend("key_1", RequestId.next(), 30);
    parts.holds().hold(RequestId.next(), caller("key_1", 100L), 50);

    assertThatThrownBy(() -> parts.holds().hold(RequestId.next(), caller("key_1", 100L), 21))
        .isInstanceOf(InsufficientCreditException.class)
        .hasMessageContaining("budget");
    parts.holds().hold(RequestId.next(), caller("key_2", 100L), 90); // another key's budget
  }

  @Test
  void raisingAHold_takesOnlyTheDifference_andLoweringKeepsIt() {
    parts.ledger().credit("acct_1", 100, "pay_1");
    RequestId id = RequestId.next();
    parts.holds().hold(id, caller("key_1", null), 40);
    parts.holds().hold(id, caller("key_1", null), 90);
    parts.holds().hold(id, caller("key_1", null), 10);

    assertThat(parts.holds().heldMicros("acct_1")).isEqualTo(90);
  }

  @Test
  void release_givesTheHoldBack_once() {
    parts.ledger().credit("acct_1", 100, "pay_1");
    RequestId id = RequestId.next();
    parts.holds().hold(id, caller("key_1", null), 100);

    parts.holds().release(id);
    parts.holds().release(id);

    assertThat(parts.holds().heldMicros("acct_1")).isZero();
    parts.holds().hold(RequestId.next(), caller("key_1", null), 100);
  }

  @Test
  void restore_holdsWithoutChecking_whatIsOwedFromBeforeARestart() {
    parts.holds().restore(RequestId.next(), "acct_1", "key_1", 500);

    assertThat(parts.holds().heldMicros("acct_1")).isEqualTo(500);
  }

  @Test
  void holdsThenSettlements_neverTakeTheBalanceBelowZero_underAThousandConcurrentRequests()
      throws Exception {
    parts.ledger().credit("acct_1", 300, "pay_1");
    List<Callable<Boolean>> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      requests.add(() -> {
        RequestId id = RequestId.next();
        try {
          parts.holds().hold(id, caller("key_" + (id.hashCode() & 3), null), 7);
        } catch (InsufficientCreditException e) {
          return false;
        }
        // the settlement bills at most the hold, then gives it back
        parts
            .ledger()
            .settle(
                new Settlement(
                    id,
                    AccountId.client("acct_1"),
                    AccountId.parse("node_0000000000000000000000000a"),
                    5,
                    4,
                    1));
        parts.holds().release(id);
        return true;
      });
    }
    int served = 0;
    try (var pool = Executors.newFixedThreadPool(16)) {
      for (Future<Boolean> f : pool.invokeAll(requests)) {
        served += f.get() ? 1 : 0;
      }
    }

    long balance = parts.ledger().balance(AccountId.client("acct_1"));
    assertThat(balance).isGreaterThanOrEqualTo(0);
    assertThat(balance).isEqualTo(300 - 5L * served);
    assertThat(served).isBetween(1, 59); // each admitted only while 7 was left: 59 at most
    assertThat(parts.holds().heldMicros("acct_1")).isZero();
  }
}
