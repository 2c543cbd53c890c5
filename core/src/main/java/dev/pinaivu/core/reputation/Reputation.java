package dev.pinaivu.core.reputation;

/**
 * A node's reputation in [0, 1]: {@value #SUCCESS_WEIGHT} × its success score + {@value
 * #LATENCY_WEIGHT} × its latency score, as the reference Pinaivu weighs them. Both scores are means
 * of what the node did, each event weighing half as much every {@link #HALF_LIFE_MS} ms, pulled
 * towards {@value #PRIOR} by a prior worth one event: a new node scores 0.5, a failing node falls
 * within a few jobs, and one that stops failing (or is not used) drifts back to 0.5, so it can earn
 * traffic again. Immutable.
 *
 * <p>A job that produced output counts as a success and adds its time to first output as a latency
 * sample scored {@code 1000 / (1000 + ms)} (1.0 instant, 0.5 at one second); a failure counts as
 * one failed job; a missed deadline as a failed job and a latency sample at the time waited; a
 * usage claim the gateway's tokenizer finds inflated ({@link dev.pinaivu.core.metering.ClaimCheck})
 * as {@value #OVERCLAIM_FAILURES} failed jobs.
 *
 * @param good decayed count of successful jobs at {@code atMs}
 * @param bad decayed count of failed jobs at {@code atMs}
 * @param latencySum decayed sum of the latency samples' scores at {@code atMs}
 * @param latencyCount decayed count of latency samples at {@code atMs}
 */
public record Reputation(
    double good, double bad, double latencySum, double latencyCount, long atMs) {
  public static final double SUCCESS_WEIGHT = 0.6;
  public static final double LATENCY_WEIGHT = 0.4;

  /** Ten minutes: a node's failures of an hour ago weigh 1/64 of its failures now. */
  public static final long HALF_LIFE_MS = 600_000;

  static final double PRIOR = 0.5;
  static final double PRIOR_WEIGHT = 1.0;
  static final double LATENCY_REFERENCE_MS = 1000;
  static final double OVERCLAIM_FAILURES = 2;

  /** What a node never seen before has: 0.5 in both scores. */
  public static Reputation fresh(long nowMs) {
    return new Reputation(0, 0, 0, 0, nowMs);
  }

  /** A job whose first output came {@code firstOutputMs} after dispatch. */
  public Reputation succeeded(long nowMs, double firstOutputMs) {
    Reputation r = at(nowMs);
    return new Reputation(
        r.good + 1, r.bad, r.latencySum + latencySample(firstOutputMs), r.latencyCount + 1, r.atMs);
  }

  /** A job that failed (before or after output). */
  public Reputation failed(long nowMs) {
    Reputation r = at(nowMs);
    return new Reputation(r.good, r.bad + 1, r.latencySum, r.latencyCount, r.atMs);
  }

  /** A job that gave no output within its deadline, after {@code waitedMs}. */
  public Reputation missedDeadline(long nowMs, double waitedMs) {
    Reputation r = at(nowMs);
    return new Reputation(
        r.good, r.bad + 1, r.latencySum + latencySample(waitedMs), r.latencyCount + 1, r.atMs);
  }

  /** A job whose usage claim was not credible next to what it delivered. */
  public Reputation overclaimed(long nowMs) {
    Reputation r = at(nowMs);
    return new Reputation(r.good, r.bad + OVERCLAIM_FAILURES, r.latencySum, r.latencyCount, r.atMs);
  }

  /** 0.6 × success + 0.4 × latency, at {@code nowMs}. */
  public double score(long nowMs) {
    return SUCCESS_WEIGHT * success(nowMs) + LATENCY_WEIGHT * latency(nowMs);
  }

  /** The decayed share of successful jobs, with the prior. */
  public double success(long nowMs) {
    Reputation r = at(nowMs);
    return (r.good + PRIOR * PRIOR_WEIGHT) / (r.good + r.bad + PRIOR_WEIGHT);
  }

  /** The decayed mean latency sample, with the prior. */
  public double latency(long nowMs) {
    Reputation r = at(nowMs);
    return (r.latencySum + PRIOR * PRIOR_WEIGHT) / (r.latencyCount + PRIOR_WEIGHT);
  }

  /** This reputation as seen at {@code nowMs}: every weight decayed; never younger than it is. */
  Reputation at(long nowMs) {
    if (nowMs <= atMs) {
      return this;
    }
    double keep = Math.pow(0.5, (double) (nowMs - atMs) / HALF_LIFE_MS);
    return new Reputation(good * keep, bad * keep, latencySum * keep, latencyCount * keep, nowMs);
  }

  static double latencySample(double ms) {
    return LATENCY_REFERENCE_MS / (LATENCY_REFERENCE_MS + Math.max(ms, 0));
  }
}
