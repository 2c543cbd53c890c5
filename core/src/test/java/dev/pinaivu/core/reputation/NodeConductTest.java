package dev.pinaivu.core.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.reputation.Standing.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeConductTest {
  private static final ConductRules RULES = ConductRules.DEFAULTS;
  private static final long FIRST = RULES.firstQuarantine().toMillis();

  private static NodeConduct established() {
    NodeConduct c = new NodeConduct(RULES, 0);
    for (int i = 0; i < RULES.probationJobs(); i++) {
      c.succeeded(0, 100, 1);
    }
    return c;
  }

  @Test
  void aNewNode_isOnProbationWithTheInitialCapacity() {
    Standing s = new NodeConduct(RULES, 0).standing(0, 10_000);

    assertThat(s.phase()).isEqualTo(Phase.PROBATION);
    assertThat(s.capacityCap()).isEqualTo(2);
    assertThat(s.reputation()).isEqualTo(0.5);
  }

  @Test
  void fiveSuccesses_endProbation() {
    NodeConduct c = new NodeConduct(RULES, 0);
    for (int i = 0; i < 4; i++) {
      c.succeeded(0, 100, 1);
    }
    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.PROBATION);

    c.succeeded(0, 100, 1);

    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.ESTABLISHED);
  }

  @Test
  void oneLinkLoss_isOneFailureHoweverManyJobsItTookDown_andTheNextLossCountsAgain() {
    NodeConduct c = established();

    for (int i = 0; i < 64; i++) {
      c.lostLink(1_000 + i);
    }
    Standing afterOne = c.standing(2_000, 4);
    c.lostLink(1_000 + NodeConduct.LINK_LOSS_MS);
    c.lostLink(1_000 + 2 * NodeConduct.LINK_LOSS_MS);

    assertThat(afterOne.failures()).isEqualTo(1);
    assertThat(afterOne.phase()).isEqualTo(Phase.ESTABLISHED);
    Standing s = c.standing(1_000 + 2 * NodeConduct.LINK_LOSS_MS, 4);
    assertThat(s.phase()).as("three losses in a row are a streak").isEqualTo(Phase.QUARANTINED);
  }

  @Test
  void oneFailureOnProbation_quarantinesForTheFirstBackoff() {
    NodeConduct c = new NodeConduct(RULES, 0);

    c.failed(1_000);

    Standing s = c.standing(1_000, 4);
    assertThat(s.phase()).isEqualTo(Phase.QUARANTINED);
    assertThat(s.routable()).isFalse();
    assertThat(s.quarantinedUntilMs()).isEqualTo(1_000 + FIRST);
  }

  @Test
  void aQuarantine_endsInProbation_andEachNextOneLastsTwiceAsLong() {
    NodeConduct c = new NodeConduct(RULES, 0);
    c.failed(0);
    assertThat(c.standing(FIRST - 1, 4).phase()).isEqualTo(Phase.QUARANTINED);
    assertThat(c.standing(FIRST, 4).phase()).isEqualTo(Phase.PROBATION);

    c.failed(FIRST);

    assertThat(c.standing(FIRST, 4).quarantinedUntilMs()).isEqualTo(FIRST + 2 * FIRST);
    c.failed(3 * FIRST);
    assertThat(c.standing(3 * FIRST, 4).quarantinedUntilMs()).isEqualTo(3 * FIRST + 4 * FIRST);
  }

  @Test
  void backoff_isCappedAtTheLongestQuarantine() {
    assertThat(RULES.quarantineMs(1)).isEqualTo(30_000);
    assertThat(RULES.quarantineMs(6)).isEqualTo(30_000L * 32);
    assertThat(RULES.quarantineMs(7)).isEqualTo(Duration.ofMinutes(30).toMillis());
    assertThat(RULES.quarantineMs(1000)).isEqualTo(Duration.ofMinutes(30).toMillis());
  }

  @Test
  void anEstablishedNode_isQuarantinedOnlyAfterAStreakOfFailures() {
    NodeConduct c = established();
    c.failed(0);
    c.failed(0);
    c.succeeded(0, 100, 1); // breaks the streak
    c.failed(0);
    c.failed(0);
    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.ESTABLISHED);

    c.failed(0);

    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.QUARANTINED);
  }

  @Test
  void missedDeadlines_countInTheStreak() {
    NodeConduct c = established();
    c.missedDeadline(0, 30_000);
    c.failed(0);
    c.missedDeadline(0, 30_000);

    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.QUARANTINED);
  }

  @Test
  void overclaims_quarantineAfterThreeStrikesEvenBetweenSuccesses() {
    NodeConduct c = established();
    for (int i = 0; i < 2; i++) {
      c.succeeded(0, 100, 1);
      c.overclaimed(0);
    }
    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.ESTABLISHED);

    c.succeeded(0, 100, 1);
    c.overclaimed(0);

    assertThat(c.standing(0, 4).phase()).isEqualTo(Phase.QUARANTINED);
    assertThat(c.standing(0, 4).overclaims()).isEqualTo(3);
  }

  @Test
  void capacity_isCappedByWhatTheNodeHasShown_andGrowsWithConcurrentSuccesses() {
    NodeConduct c = new NodeConduct(RULES, 0);
    assertThat(c.standing(0, 10_000).capacityCap()).isEqualTo(2);

    c.succeeded(0, 100, 2);
    assertThat(c.standing(0, 10_000).capacityCap()).isEqualTo(4);
    c.succeeded(0, 100, 4);
    assertThat(c.standing(0, 10_000).capacityCap()).isEqualTo(8);
    c.succeeded(0, 100, 1); // a lone job shows nothing more
    assertThat(c.standing(0, 10_000).capacityCap()).isEqualTo(8);
  }

  @Test
  void capacity_neverExceedsTheOfferedCapacity() {
    NodeConduct c = new NodeConduct(RULES, 0);
    c.succeeded(0, 100, 64);

    assertThat(c.standing(0, 3).capacityCap()).isEqualTo(3);
    assertThat(c.standing(0, 1).capacityCap()).isEqualTo(1);
  }

  @Test
  void aQuarantine_forgetsTheCapacityShown() {
    NodeConduct c = established();
    c.succeeded(0, 100, 8);
    for (int i = 0; i < RULES.failureStreak(); i++) {
      c.failed(0);
    }

    assertThat(c.standing(FIRST, 100).phase()).isEqualTo(Phase.PROBATION);
    assertThat(c.standing(FIRST, 100).capacityCap()).isEqualTo(2);
  }

  @Test
  void endingProbationAgain_resetsTheBackoff() {
    NodeConduct c = new NodeConduct(RULES, 0);
    c.failed(0); // 1st quarantine
    long t = FIRST;
    for (int i = 0; i < RULES.probationJobs(); i++) {
      c.succeeded(t, 100, 1);
    }
    assertThat(c.standing(t, 4).quarantines()).isZero();
    for (int i = 0; i < RULES.failureStreak(); i++) {
      c.failed(t);
    }

    assertThat(c.standing(t, 4).quarantinedUntilMs()).isEqualTo(t + FIRST);
  }

  @Test
  void failuresOfJobsStillRunningWhenQuarantined_doNotExtendIt() {
    NodeConduct c = new NodeConduct(RULES, 0);
    c.failed(0);
    c.failed(10);
    c.failed(20);

    assertThat(c.standing(20, 4).quarantinedUntilMs()).isEqualTo(FIRST);
    assertThat(c.standing(20, 4).failures()).isEqualTo(3);
  }

  @Test
  void trustingRules_takeANodeAtItsWord() {
    NodeConduct c = new NodeConduct(ConductRules.TRUSTING, 0);
    for (int i = 0; i < 100; i++) {
      c.failed(0);
    }

    Standing s = c.standing(0, 64);
    assertThat(s.phase()).isEqualTo(Phase.ESTABLISHED);
    assertThat(s.capacityCap()).isEqualTo(64);
  }
}
