package dev.pinaivu.core.limits;

import dev.pinaivu.core.openai.Usage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted request's hold on its key's rate limits: it counts as one request, and holds the
 * tokens reserved at admission until {@link #settle} replaces them by the tokens actually used or
 * {@link #release} gives them all back. Only the first of the two counts. A ticket never settled
 * keeps its reservation until it leaves the one-minute window: a request that ended in an unknown
 * state counts in full, and still cannot hold tokens for longer than a minute.
 */
public final class Ticket {
  private static final Ticket UNLIMITED = new Ticket(null, null, null);

  private final KeyWindow window;
  private final KeyWindow.Entry entry;
  private final RateLimitStatus status;
  private final long reserved;
  private final AtomicBoolean finished = new AtomicBoolean();

  Ticket(KeyWindow window, KeyWindow.Entry entry, RateLimitStatus status) {
    this.window = window;
    this.entry = entry;
    this.status = status;
    this.reserved = entry == null ? 0 : entry.tokens;
  }

  /** The ticket of a key without rate limits: holds nothing. */
  public static Ticket unlimited() {
    return UNLIMITED;
  }

  /** The key's standing right after this admission, for the headers; null for unlimited keys. */
  public RateLimitStatus status() {
    return status;
  }

  /** The tokens reserved at admission; 0 for unlimited keys. */
  public long reservedTokens() {
    return reserved;
  }

  /**
   * The request is over and used {@code actualTokens}: the difference from the reservation goes
   * back to the window (or is added to it, if the request used more).
   */
  public void settle(long actualTokens) {
    if (actualTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative: " + actualTokens);
    }
    if (window != null && finished.compareAndSet(false, true)) {
      window.adjust(entry, actualTokens);
    }
  }

  /** {@link #settle(long)} with the node's reported usage; null (unknown) keeps the reservation. */
  public void settle(Usage usage) {
    if (usage != null) {
      settle(usage.totalTokens());
    }
  }

  /**
   * The request failed before any output: every reserved token goes back. It still counts as a
   * request.
   */
  public void release() {
    settle(0);
  }
}
