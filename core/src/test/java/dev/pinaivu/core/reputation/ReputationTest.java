package dev.pinaivu.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReputationTest {
  private static final long HALF = Reputation.HALF_LIFE_MS;

  @Test
  void aNewNode_scoresOneHalf() {
    Reputation r = Reputation.fresh(0);

    assertThat(r.success(0)).isEqualTo(0.5);
    assertThat(r.latency(0)).isEqualTo(0.5);
    assertThat(r.score(0)).isEqualTo(0.5);
  }

  @Test
  void score_isSixTenthsSuccessAndFourTenthsLatency() {
    // 3 successes at 1 000 ms (sample 0.5 each) and 1 failure:
    // success (3 + 0.5) / (4 + 1) = 0.7; latency (1.5 + 0.5) / (3 + 1) = 0.5
    Reputation r =
        Reputation.fresh(0).succeeded(0, 1000).succeeded(0, 1000).succeeded(0, 1000).failed(0);

    assertThat(r.success(0)).isCloseTo(0.7, within(1e-12));
    assertThat(r.latency(0)).isCloseTo(0.5, within(1e-12));
    assertThat(r.score(0)).isCloseTo(0.6 * 0.7 + 0.4 * 0.5, within(1e-12));
  }

  @Test
  void latencySample_isOneAtZeroAndHalfAtOneSecond() {
    assertThat(Reputation.latencySample(0)).isEqualTo(1.0);
    assertThat(Reputation.latencySample(1000)).isEqualTo(0.5);
    assertThat(Reputation.latencySample(9000)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void aFailingNode_fallsWithinAFewJobs() {
    Reputation r = Reputation.fresh(0);
    for (int i = 0; i < 5; i++) {
      r = r.failed(0);
    }

    // success 0.5 / 6; latency unmeasured stays at the prior
    assertThat(r.score(0)).isCloseTo(0.6 * 0.5 / 6 + 0.4 * 0.5, within(1e-12));
    assertThat(r.score(0)).isLessThan(0.26);
  }

  @Test
  void oldEvents_weighHalfAsMuchEachHalfLife() {
    Reputation r = Reputation.fresh(0).failed(0).failed(0);

    assertThat(r.at(HALF).bad()).isCloseTo(1.0, within(1e-12));
    assertThat(r.at(2 * HALF).bad()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void aFailedNodeLeftAlone_recoversTowardsANewNodesScore() {
    Reputation r = Reputation.fresh(0);
    for (int i = 0; i < 20; i++) {
      r = r.failed(0);
    }

    assertThat(r.success(0)).isLessThan(0.03);
    assertThat(r.success(3 * HALF)).isCloseTo(0.5 / 3.5, within(1e-9)); // 20 -> 2.5 failures
    assertThat(r.success(12 * HALF)).isGreaterThan(0.49);
  }

  @Test
  void aNodeThatStartsServing_earnsItsScoreBack() {
    Reputation r = Reputation.fresh(0);
    for (int i = 0; i < 10; i++) {
      r = r.failed(0);
    }
    double fallen = r.score(0);
    for (int i = 0; i < 30; i++) {
      r = r.succeeded(60_000L * i, 100);
    }

    assertThat(r.score(30 * 60_000L)).isGreaterThan(0.85).isGreaterThan(fallen + 0.5);
  }

  @Test
  void aMissedDeadline_costsSuccessAndLatency() {
    Reputation served = Reputation.fresh(0).succeeded(0, 200);
    Reputation missed = Reputation.fresh(0).missedDeadline(0, 30_000);
    Reputation failed = Reputation.fresh(0).failed(0);

    assertThat(missed.success(0)).isEqualTo(failed.success(0));
    assertThat(missed.latency(0)).isLessThan(failed.latency(0)).isLessThan(served.latency(0));
    assertThat(missed.score(0)).isLessThan(failed.score(0));
  }

  @Test
  void anOverclaim_weighsAsTwoFailures() {
    Reputation r = Reputation.fresh(0).succeeded(0, 100).overclaimed(0);

    assertThat(r.success(0)).isCloseTo(1.5 / 4, within(1e-12));
  }

  @Test
  void reputation_isNeverAskedBackInTime() {
    Reputation r = Reputation.fresh(1000).failed(1000);

    assertThat(r.success(0)).isEqualTo(r.success(1000));
  }
}
