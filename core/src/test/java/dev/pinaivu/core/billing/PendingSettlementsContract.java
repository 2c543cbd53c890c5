package dev.pinaivu.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.coordinator.CoordinatorJob;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.pricing.FeePolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PendingSettlements} adapter must do. An adapter's test extends this class and
 * supplies a new, empty store; the same assertions run against memory and SQLite.
 */
public abstract class PendingSettlementsContract {
  private static final CoordinatorService COORDINATOR =
      OpenedLogs.dev(CoordinatorOptions.withFees(FeePolicy.NONE));

  private PendingSettlements store;

  /** A new store holding nothing. */
  protected abstract PendingSettlements newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static PendingSettlement owed(long keptAtMs) {
    CoordinatorJob job = new CoordinatorJob();
    return new PendingSettlement(
        job.requestId(),
        "acct_1",
        "key_1",
        job.settleRequest(COORDINATOR.dispatch(job.dispatchRequest())),
        keptAtMs);
  }

  private static String wire(PendingSettlement p) {
    return RequestCodec.settle(0, p.request()).toString();
  }

  @Test
  void keep_thenKeptUntil_returnsEveryMember() {
    PendingSettlement kept = owed(1_000);
    store.keep(kept);

    PendingSettlement read = store.keptUntil(1_000).getFirst();

    assertThat(read.requestId()).isEqualTo(kept.requestId());
    assertThat(read.accountId()).isEqualTo("acct_1");
    assertThat(read.keyId()).isEqualTo("key_1");
    assertThat(read.keptAtMs()).isEqualTo(1_000);
    assertThat(wire(read)).isEqualTo(wire(kept));
  }

  @Test
  void keep_ofARequestKeptAlready_keepsTheFirst() {
    PendingSettlement first = owed(1_000);
    store.keep(first);
    store.keep(new PendingSettlement(first.requestId(), "acct_2", "key_2", first.request(), 2_000));

    assertThat(store.keptUntil(5_000))
        .singleElement()
        .satisfies(p -> assertThat(p.accountId()).isEqualTo("acct_1"));
  }

  @Test
  void forget_removesOnlyThatRequest_andForgettingTwiceIsHarmless() {
    PendingSettlement a = owed(1_000);
    PendingSettlement b = owed(1_001);
    store.keep(a);
    store.keep(b);

    store.forget(a.requestId());
    store.forget(a.requestId());

    assertThat(store.keptUntil(5_000))
        .extracting(PendingSettlement::requestId)
        .containsExactly(b.requestId());
  }

  @Test
  void keptUntil_leavesOutYoungerOnes_andListsTheOldestFirst() {
    PendingSettlement newer = owed(3_000);
    PendingSettlement older = owed(1_000);
    PendingSettlement young = owed(9_000);
    store.keep(newer);
    store.keep(older);
    store.keep(young);

    assertThat(store.keptUntil(5_000))
        .extracting(PendingSettlement::requestId)
        .containsExactly(older.requestId(), newer.requestId());
  }

  @Test
  void find_readsTheKeptSettlement_untilItIsForgotten() {
    PendingSettlement kept = owed(1_000);
    store.keep(kept);
    store.keep(owed(1_001));

    assertThat(store.find(kept.requestId()))
        .hasValueSatisfying(p -> assertThat(wire(p)).isEqualTo(wire(kept)));
    store.forget(kept.requestId());
    assertThat(store.find(kept.requestId())).isEmpty();
    assertThat(store.find(new CoordinatorJob().requestId())).isEmpty();
  }
}
