package dev.pinaivu.agent;

import java.util.random.RandomGenerator;

/**
 * The wait before each reconnect under a {@link ReconnectPolicy}: uniform in [0, ceiling] ("full
 * jitter"), so that the nodes a gateway restart dropped together do not all come back in the same
 * instant, with the ceiling doubling after every connection that did not last. Not thread-safe: the
 * agent uses it from its one timer thread.
 */
final class Backoff {
  private final ReconnectPolicy policy;
  private final RandomGenerator random;
  private int failures;

  Backoff(ReconnectPolicy policy, RandomGenerator random) {
    this.policy = policy;
    this.random = random;
  }

  /**
   * The wait before the next try, in ms.
   *
   * @param upForMs how long the connection that ended was up after its {@code welcome}; negative
   *     when it was never welcomed (it could not connect, or was refused)
   */
  long nextDelayMs(long upForMs) {
    if (upForMs >= policy.stableAfter().toMillis()) {
      failures = 0; // a stable connection ended: start again from the base
    }
    long ceiling = ceilingMs(failures);
    failures = Math.min(failures + 1, 64); // past the cap already; only kept from overflowing
    return random.nextLong(ceiling + 1);
  }

  /** The largest wait after {@code failures} tries that did not last. */
  long ceilingMs(int failures) {
    long cap = policy.cap().toMillis();
    long ceiling = policy.base().toMillis();
    for (int i = 0; i < failures && ceiling < cap; i++) {
      ceiling = Math.min(cap, ceiling * 2);
    }
    return ceiling;
  }
}
