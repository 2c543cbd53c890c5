package dev.pinaivu.core.limits;

/**
 * Port: each key's requests and tokens per minute, shared by every process that serves the key (in
 * memory for one gateway, {@link RateLimiter}; DynamoDB counters for a fleet). Admission takes a
 * {@link Ticket}, a value; the request's end settles or releases it through this port, at most once
 * counting (a retried settle changes nothing). Every adapter passes {@code RateLimitsContract}.
 */
public interface RateLimits {
  /** The window every adapter slides: a request counts for 60 seconds after its admission. */
  long WINDOW_MS = 60_000;

  /**
   * Admits one request of key {@code keyId} that reserves {@code tokens}.
   *
   * @param rpm requests per minute, null for unlimited
   * @param tpm tokens per minute, null for unlimited
   * @throws RateLimitedException when the request does not fit now (or ever)
   */
  Ticket admit(String keyId, Integer rpm, Integer tpm, long tokens);

  /**
   * The request is over and used {@code actualTokens}: the difference from the reservation goes
   * back to the window (or is added, if it used more). Only the first settle or release of a ticket
   * counts; one whose minute has passed changes nothing.
   */
  void settle(Ticket ticket, long actualTokens);

  /** The request used nothing: every reserved token goes back. It still counts as a request. */
  default void release(Ticket ticket) {
    settle(ticket, 0);
  }

  /** Tokens the key holds in its window now (reservations and settled use). */
  long tokensInWindow(String keyId);
}
