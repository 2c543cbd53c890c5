package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final ReconnectPolicy POLICY =
      new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));

  @Test
  void ceiling_doublesFromTheBaseUpToTheCap() {
    Backoff backoff = new Backoff(POLICY, new Random(1));

    List<Long> ceilings = new ArrayList<>();
    for (int failures = 0; failures < 9; failures++) {
      ceilings.add(backoff.ceilingMs(failures));
    }

    assertThat(ceilings)
        .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    assertThat(backoff.ceilingMs(Integer.MAX_VALUE)).isEqualTo(30_000);
  }

  @Test
  void waits_areSpreadOverTheWholeRange_andNeverAboveTheCeiling() {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2_000; i++) {
      long wait = new Backoff(POLICY, new Random(i)).nextDelayMs(-1);
      min = Math.min(min, wait);
      max = Math.max(max, wait);
    }

    assertThat(min).isLessThan(50); // full jitter: nodes dropped together do not return together
    assertThat(max).isBetween(450L, 500L);
  }

  @Test
  void connectionsThatDoNotLast_growTheWait_untilTheCap() {
    Backoff backoff = new Backoff(POLICY, new Random(7));
    long afterTen = 0;
    for (int i = 0; i < 10; i++) {
      afterTen = backoff.nextDelayMs(9_999); // each welcomed, but closed before it was stable
    }
    long sum = 0;
    for (int i = 0; i < 100; i++) {
      long wait = backoff.nextDelayMs(-1);
      assertThat(wait).isBetween(0L, 30_000L);
      sum += wait;
    }

    assertThat(afterTen).isLessThanOrEqualTo(30_000);
    assertThat(sum / 100).as("mean wait at the cap").isBetween(10_000L, 20_000L);
  }

  @Test
  void aStableConnection_resetsTheWaitToTheBase() {
    Backoff backoff = new Backoff(POLICY, new Random(3));
    for (int i = 0; i < 8; i++) {
      backoff.nextDelayMs(-1);
    }

    long wait = backoff.nextDelayMs(10_000); // up for exactly stableAfter

    assertThat(wait).isBetween(0L, 500L);
    assertThat(backoff.nextDelayMs(-1)).as("then it grows again").isBetween(0L, 1_000L);
  }

  @Test
  void policy_refusesAZeroBaseOrACapBelowIt() {
    assertThatThrownBy(
            () -> new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ReconnectPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
