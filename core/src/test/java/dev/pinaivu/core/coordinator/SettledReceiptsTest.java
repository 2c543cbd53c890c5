package dev.pinaivu.core.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.receipt.SignedReceipt;
import org.junit.jupiter.api.Test;

class SettledReceiptsTest {
  private final CoordinatorService service =
      OpenedLogs.dev(CoordinatorOptions.withFees(FeePolicy.NONE));

  private SettledReceipts.Settled settled(CoordinatorJob job) throws Exception {
    Coordinator.SettleRequest request = job.settleRequest(service.dispatch(job.dispatchRequest()));
    SignedReceipt receipt = service.settle(request).orElseThrow();
    return new SettledReceipts.Settled(request, receipt);
  }

  @Test
  void keep_returnsTheFirstKept_whenTwoRace() throws Exception {
    SettledReceipts cache = new SettledReceipts(10);
    CoordinatorJob job = new CoordinatorJob();
    SettledReceipts.Settled first = settled(job);
    SettledReceipts.Settled second = settled(new CoordinatorJob());

    assertThat(cache.keep("req_a", first)).isSameAs(first);
    assertThat(cache.keep("req_a", second)).isSameAs(first);
  }

  @Test
  void theLeastRecentlyUsed_isDroppedFirst() throws Exception {
    SettledReceipts cache = new SettledReceipts(2);
    SettledReceipts.Settled any = settled(new CoordinatorJob());
    cache.keep("req_a", any);
    cache.keep("req_b", any);
    cache.find("req_a");

    cache.keep("req_c", any);

    assertThat(cache.find("req_a")).isPresent();
    assertThat(cache.find("req_b")).isEmpty();
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void evidence_isComparedByContent_notByArrayIdentity() throws Exception {
    SettledReceipts.Settled kept = settled(new CoordinatorJob());
    Coordinator.SettleRequest e = kept.evidence();
    Coordinator.SettleRequest copy =
        new Coordinator.SettleRequest(
            e.dispatchToken(), e.proof(), e.nodePublicKey().clone(), e.delivery(), e.accountRef());

    assertThat(kept.sameEvidenceAs(copy)).isTrue();
  }
}
