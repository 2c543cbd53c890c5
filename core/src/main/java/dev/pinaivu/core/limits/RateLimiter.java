package dev.pinaivu.core.limits;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and tokens per minute, per key, over a sliding one-minute window: a request is admitted
 * when the requests admitted in the last 60 seconds are fewer than the key's RPM and their tokens
 * plus this request's reservation stay within its TPM. A sliding window, not a fixed one, so that
 * no 60-second span ever holds more than the limit (a fixed window lets twice the limit through
 * around a minute boundary). State lives in this process; see ADR 9 for the shared version.
 */
public final class RateLimiter {
  public static final long WINDOW_MS = 60_000;

  private final InstantSource clock;
  private final Map<String, KeyWindow> windows = new ConcurrentHashMap<>();

  public RateLimiter(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Admits one request of key {@code keyId} that reserves {@code tokens}.
   *
   * @param rpm requests per minute, null for unlimited
   * @param tpm tokens per minute, null for unlimited
   * @throws RateLimitedException when the request does not fit now (or ever)
   */
  public Ticket admit(String keyId, Integer rpm, Integer tpm, long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("a reservation cannot be negative: " + tokens);
    }
    if (rpm == null && tpm == null) {
      return Ticket.unlimited();
    }
    return windows
        .computeIfAbsent(keyId, id -> new KeyWindow(id, WINDOW_MS))
        .admit(rpm, tpm, tokens, clock.millis());
  }

  /** Tokens the key holds in its window now (reservations and settled use). */
  public long tokensInWindow(String keyId) {
    KeyWindow window = windows.get(keyId);
    return window == null ? 0 : window.tokensInWindow(clock.millis());
  }
}
