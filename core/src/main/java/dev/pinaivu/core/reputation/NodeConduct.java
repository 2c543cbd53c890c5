package dev.pinaivu.core.reputation;

import dev.pinaivu.core.reputation.Standing.Phase;

/**
 * One node's record: its {@link Reputation}, where it stands (probation, established, quarantined)
 * and the concurrency it has shown. A node starts on probation; {@link ConductRules#probationJobs}
 * successes establish it; a failure on probation, or a streak of failures once established,
 * quarantines it for a time that doubles with each quarantine, after which it is on probation again
 * with its capacity cap back at the start. Thread-safe.
 */
public final class NodeConduct {
  /**
   * Failures of jobs whose link is gone, within this long of the last one counted, are the same
   * loss: one crash or network cut takes every job on the link down at once.
   */
  public static final long LINK_LOSS_MS = 10_000;

  private final ConductRules rules;
  private Reputation reputation;
  private Phase phase = Phase.PROBATION;
  private long quarantinedUntilMs;
  private int quarantines;
  private int probationSuccesses;
  private int streak;
  private int strikes;
  private int shownConcurrency;
  private long successes;
  private long failures;
  private long overclaims;
  private long lastEventMs;
  private boolean linkLost;
  private long linkLostAtMs;

  public NodeConduct(ConductRules rules, long nowMs) {
    this.rules = rules;
    this.reputation = Reputation.fresh(nowMs);
    this.lastEventMs = nowMs;
    if (rules.probationJobs() == 0) {
      phase = Phase.ESTABLISHED;
    }
  }

  /** A node's conduct as {@code record} left it, under {@code rules}. */
  public static NodeConduct of(ConductRules rules, ConductRecord record) {
    NodeConduct c = new NodeConduct(rules, record.lastEventMs());
    c.reputation = record.reputation();
    c.phase = record.phase();
    c.quarantinedUntilMs = record.quarantinedUntilMs();
    c.quarantines = record.quarantines();
    c.probationSuccesses = record.probationSuccesses();
    c.streak = record.streak();
    c.strikes = record.strikes();
    c.shownConcurrency = record.shownConcurrency();
    c.successes = record.successes();
    c.failures = record.failures();
    c.overclaims = record.overclaims();
    c.linkLost = record.linkLost();
    c.linkLostAtMs = record.linkLostAtMs();
    return c;
  }

  /** All of it, as a value. */
  public synchronized ConductRecord record() {
    return new ConductRecord(
        reputation,
        phase,
        quarantinedUntilMs,
        quarantines,
        probationSuccesses,
        streak,
        strikes,
        shownConcurrency,
        successes,
        failures,
        overclaims,
        lastEventMs,
        linkLost,
        linkLostAtMs);
  }

  /**
   * A job produced output after {@code firstOutputMs} and finished while the node held {@code
   * concurrency} jobs, this one included.
   */
  public synchronized void succeeded(long nowMs, double firstOutputMs, int concurrency) {
    release(nowMs);
    reputation = reputation.succeeded(nowMs, firstOutputMs);
    successes++;
    streak = 0;
    shownConcurrency = Math.max(shownConcurrency, concurrency);
    if (phase == Phase.PROBATION && ++probationSuccesses >= rules.probationJobs()) {
      phase = Phase.ESTABLISHED;
      quarantines = 0;
      strikes = 0;
    }
    lastEventMs = nowMs;
  }

  /** A job failed on the node. */
  public synchronized void failed(long nowMs) {
    release(nowMs);
    reputation = reputation.failed(nowMs);
    failures++;
    streak++;
    strikeIf(streak >= rules.failureStreak(), nowMs);
  }

  /**
   * A job failed because the node's link is gone (its process died, the network cut it). Every job
   * on the link fails with it, so the failures of one loss count once: a failure here within {@link
   * #LINK_LOSS_MS} of the last one counted is not counted again. So a node restarted with 64 jobs
   * running takes one failure, as a node that lost one job would, and is not quarantined for a
   * streak it did not have; a node that keeps dropping its link still is (ADR 22).
   */
  public synchronized void lostLink(long nowMs) {
    if (linkLost && nowMs - linkLostAtMs < LINK_LOSS_MS) {
      lastEventMs = nowMs;
      return;
    }
    linkLost = true;
    linkLostAtMs = nowMs;
    failed(nowMs);
  }

  /** A job gave no output within its deadline, after {@code waitedMs}. */
  public synchronized void missedDeadline(long nowMs, double waitedMs) {
    release(nowMs);
    reputation = reputation.missedDeadline(nowMs, waitedMs);
    failures++;
    streak++;
    strikeIf(streak >= rules.failureStreak(), nowMs);
  }

  /** A job's usage claim was inflated (ClaimCheck), whatever it delivered. */
  public synchronized void overclaimed(long nowMs) {
    release(nowMs);
    reputation = reputation.overclaimed(nowMs);
    overclaims++;
    strikes++;
    strikeIf(strikes >= rules.overclaimStrikes(), nowMs);
  }

  /**
   * Where the node stands at {@code nowMs}, its cap no higher than {@code claimedCapacity} (its
   * offer's capacity).
   */
  public synchronized Standing standing(long nowMs, int claimedCapacity) {
    release(nowMs);
    long shown = Math.max((long) rules.initialCapacity(), 2L * shownConcurrency);
    int cap = (int) Math.min(Math.max(claimedCapacity, 1), shown);
    return new Standing(
        phase,
        reputation.score(nowMs),
        reputation.success(nowMs),
        reputation.latency(nowMs),
        cap,
        phase == Phase.QUARANTINED ? quarantinedUntilMs : 0,
        quarantines,
        successes,
        failures,
        overclaims);
  }

  /** The node's reputation score at {@code nowMs}. */
  public synchronized double reputation(long nowMs) {
    return reputation.score(nowMs);
  }

  /** When anything last happened to it. */
  public synchronized long lastEventMs() {
    return lastEventMs;
  }

  /** Whether it is quarantined at {@code nowMs}. */
  public synchronized boolean quarantined(long nowMs) {
    release(nowMs);
    return phase == Phase.QUARANTINED;
  }

  private void strikeIf(boolean streakReached, long nowMs) {
    lastEventMs = nowMs;
    if (phase == Phase.PROBATION || (phase == Phase.ESTABLISHED && streakReached)) {
      quarantines++;
      phase = Phase.QUARANTINED;
      quarantinedUntilMs = nowMs + rules.quarantineMs(quarantines);
      probationSuccesses = 0;
      shownConcurrency = 0;
      streak = 0;
      strikes = 0;
    }
  }

  /** A quarantine that has run its time ends in probation. */
  private void release(long nowMs) {
    if (phase == Phase.QUARANTINED && nowMs >= quarantinedUntilMs) {
      phase = Phase.PROBATION;
      quarantinedUntilMs = 0;
    }
  }
}
