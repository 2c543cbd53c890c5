package dev.pinaivu.core.limits;

import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimits} in one process's memory. Requests and tokens per minute, per key, over a
 * sliding one-minute window: a request is admitted when the requests admitted in the last 60
 * seconds are fewer than the key's RPM and their tokens plus this request's reservation stay within
 * its TPM. A sliding window, not a fixed one, so that no 60-second span ever holds more than the
 * limit (a fixed window lets twice the limit through around a minute boundary). State lives in this
 * process; see ADR 9 for the shared version.
 */
public final class RateLimiter implements RateLimits {
  private final InstantSource clock;
  private final Map<String, KeyWindow> windows = new ConcurrentHashMap<>();

  public RateLimiter(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public Ticket admit(String keyId, Integer rpm, Integer tpm, long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("a reservation cannot be negative: " + tokens);
    }
    if (rpm == null && tpm == null) {
      return Ticket.unlimited();
    }
    return windows
        .computeIfAbsent(keyId, id -> new KeyWindow(id, WINDOW_MS))
        .admit(UUID.randomUUID().toString(), rpm, tpm, tokens, clock.millis());
  }

  @Override
  public void settle(Ticket ticket, long actualTokens) {
    if (actualTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative: " + actualTokens);
    }
    if (!ticket.limited()) {
      return;
    }
    KeyWindow window = windows.get(ticket.keyId());
    if (window != null) {
      window.settle(ticket.id(), actualTokens, clock.millis());
    }
  }

  @Override
  public long tokensInWindow(String keyId) {
    KeyWindow window = windows.get(keyId);
    return window == null ? 0 : window.tokensInWindow(clock.millis());
  }
}
