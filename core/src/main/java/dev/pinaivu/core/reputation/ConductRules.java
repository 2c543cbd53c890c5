package dev.pinaivu.core.reputation;

import java.time.Duration;

/**
 * How the network treats nodes by what they did (ADR 22).
 *
 * @param probationShare the share of requests whose first attempt goes to a node on probation when
 *     an established node could serve them; the rest try probation nodes only after every
 *     established one
 * @param probationJobs successful jobs that end a node's probation
 * @param failureStreak consecutive failures that quarantine an established node (one failure
 *     quarantines a node on probation)
 * @param overclaimStrikes inflated usage claims that quarantine an established node (one
 *     quarantines a node on probation)
 * @param firstQuarantine how long a first quarantine lasts; each next one lasts twice as long
 * @param maxQuarantine the longest a quarantine lasts
 * @param initialCapacity the concurrent jobs a node is trusted with before it has shown more,
 *     whatever its offer claims; each success while it held {@code n} jobs raises the cap to {@code
 *     2n}, up to the offer's capacity
 */
public record ConductRules(
    double probationShare,
    int probationJobs,
    int failureStreak,
    int overclaimStrikes,
    Duration firstQuarantine,
    Duration maxQuarantine,
    int initialCapacity) {

  /** One request in ten to a node on probation; five successes end it; 30 s to 30 min out. */
  public static final ConductRules DEFAULTS =
      new ConductRules(0.1, 5, 3, 3, Duration.ofSeconds(30), Duration.ofMinutes(30), 2);

  /**
   * Takes every node at its word: established from the start, never quarantined, trusted with the
   * capacity it claims, no probation share. For tests of other things than conduct, and for
   * operators who run only their own nodes.
   */
  public static final ConductRules TRUSTING =
      new ConductRules(
          0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ZERO, Duration.ZERO, 10_000);

  public ConductRules {
    if (!(probationShare >= 0 && probationShare <= 1)) {
      throw new IllegalArgumentException("probationShare must be in [0, 1]");
    }
    if (probationJobs < 0 || failureStreak < 1 || overclaimStrikes < 1 || initialCapacity < 1) {
      throw new IllegalArgumentException("conduct counts must be positive");
    }
    if (firstQuarantine.isNegative() || maxQuarantine.compareTo(firstQuarantine) < 0) {
      throw new IllegalArgumentException("quarantine durations must be 0 <= first <= max");
    }
  }

  /** How long the {@code n}th quarantine (from 1) lasts: doubling from the first, capped. */
  public long quarantineMs(int n) {
    long first = firstQuarantine.toMillis();
    int doublings = Math.min(Math.max(n - 1, 0), 40);
    double ms = first * Math.pow(2, doublings);
    return (long) Math.min(ms, maxQuarantine.toMillis());
  }

  public ConductRules withQuarantine(Duration first, Duration max) {
    return new ConductRules(
        probationShare,
        probationJobs,
        failureStreak,
        overclaimStrikes,
        first,
        max,
        initialCapacity);
  }
}
