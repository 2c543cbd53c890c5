package dev.pinaivu.core.reputation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many nodes hold a seat under each key (a source address, an operator), taken and given back
 * atomically so that nodes joining at once cannot pass a limit together. Thread-safe.
 */
public final class Seats {
  private final Map<String, Integer> taken = new ConcurrentHashMap<>();

  /** Takes a seat under {@code key} unless {@code limit} are taken; returns whether it did. */
  public boolean take(String key, int limit) {
    boolean[] took = {false};
    taken.compute(
        key,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= limit) {
            return n;
          }
          took[0] = true;
          return now + 1;
        });
    return took[0];
  }

  /** Gives back a seat taken under {@code key}. */
  public void give(String key) {
    taken.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Seats taken under {@code key}. */
  public int count(String key) {
    return taken.getOrDefault(key, 0);
  }
}
