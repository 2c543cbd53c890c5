package dev.pinaivu.core.limits;

import java.util.Objects;

/**
 * An admitted request's hold on its key's rate limits, as a value any process can settle ({@link
 * RateLimits#settle}): it counts as one request in its minute, and holds {@code reservedTokens}
 * until settled to the tokens actually used or released. A ticket never settled keeps its
 * reservation until it leaves the one-minute window: a request that ended in an unknown state
 * counts in full, and still cannot hold tokens for longer than a minute.
 *
 * @param id unique per admission; settles are idempotent by it
 * @param keyId the key it counts against; null for a key without limits (nothing is held)
 * @param admittedAtMs when it entered the window
 * @param status the key's standing right after this admission, for the headers; null for keys
 *     without limits
 */
public record Ticket(
    String id, String keyId, long admittedAtMs, long reservedTokens, RateLimitStatus status) {
  private static final Ticket UNLIMITED = new Ticket("unlimited", null, 0, 0, null);

  public Ticket {
    Objects.requireNonNull(id, "id");
    if (reservedTokens < 0) {
      throw new IllegalArgumentException("a reservation cannot be negative: " + reservedTokens);
    }
  }

  /** The ticket of a key without rate limits: holds nothing. */
  public static Ticket unlimited() {
    return UNLIMITED;
  }

  public boolean limited() {
    return keyId != null;
  }
}
