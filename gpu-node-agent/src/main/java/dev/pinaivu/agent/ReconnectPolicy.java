package dev.pinaivu.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node agent waits between tries to reach its gateway: exponential with full jitter, the
 * ceiling doubling from {@code base} up to {@code cap} with every failed try, back to {@code base}
 * once a connection has stayed up for {@code stableAfter} after its {@code welcome}.
 *
 * @param base the ceiling of the first wait
 * @param cap the largest wait
 * @param stableAfter how long a welcomed connection must last to count as stable
 */
public record ReconnectPolicy(Duration base, Duration cap, Duration stableAfter) {
  /** 0.5 s doubling to 30 s; a connection that lasted 10 s resets it. */
  public static final ReconnectPolicy DEFAULT =
      new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(10));

  public ReconnectPolicy {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(stableAfter, "stableAfter");
    if (base.toMillis() < 1 || cap.compareTo(base) < 0 || stableAfter.isNegative()) {
      throw new IllegalArgumentException(
          "need 1 ms <= base <= cap and stableAfter >= 0: "
              + base
              + ", "
              + cap
              + ", "
              + stableAfter);
    }
  }
}
