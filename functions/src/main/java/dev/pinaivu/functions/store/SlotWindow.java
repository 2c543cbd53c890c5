package dev.pinaivu.functions.store;

import dev.pinaivu.core.limits.RateLimitStatus;
import dev.pinaivu.core.limits.RateLimits;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One key's rate window as its counters hold it: requests and tokens per one-second slot of the
 * previous and the current minute (ADR 21), seen at {@code now}. The counters do not know when
 * within its second a request came, so a slot counts until its last possible request is a minute
 * old: a request counts for 60 s after its admission and at most {@link #LATENESS_MS} more, never
 * less. Hence no 60 s ever hold more than the limit, and every wait computed here is the sliding
 * log's, or up to {@link #LATENESS_MS} longer.
 */
final class SlotWindow {
  static final long SLOT_MS = 1_000;
  static final int SLOTS = (int) (RateLimits.WINDOW_MS / SLOT_MS);

  /** The most a request may count beyond its minute. */
  static final long LATENESS_MS = SLOT_MS - 1;

  static final String REQUESTS = "requests";
  static final String TOKENS = "tokens";

  private final long now;
  private final long firstSlotStart; // the previous minute's first slot
  private final long[] requests = new long[2 * SLOTS];
  private final long[] tokens = new long[2 * SLOTS];

  private SlotWindow(long now) {
    this.now = now;
    this.firstSlotStart = (minuteOf(now) - 1) * RateLimits.WINDOW_MS;
  }

  /** The window at {@code now} from the previous and the current minute's items (null: none). */
  static SlotWindow of(
      long now, Map<String, AttributeValue> previous, Map<String, AttributeValue> current) {
    SlotWindow window = new SlotWindow(now);
    window.read(previous, 0);
    window.read(current, SLOTS);
    return window;
  }

  static long minuteOf(long ms) {
    return Math.floorDiv(ms, RateLimits.WINDOW_MS);
  }

  /** The slot of the current minute that {@code ms} falls in. */
  static int slotOf(long ms) {
    return (int) (Math.floorMod(ms, RateLimits.WINDOW_MS) / SLOT_MS);
  }

  static String requestsOf(int slot) {
    return "r" + slot;
  }

  static String tokensOf(int slot) {
    return "t" + slot;
  }

  /** Requests counting now. */
  long requests() {
    return sum(requests, 2 * SLOTS);
  }

  /** Tokens counting now. */
  long tokens() {
    return sum(tokens, 2 * SLOTS);
  }

  /** Requests of the previous minute that still count. */
  long previousRequests() {
    return sum(requests, SLOTS);
  }

  long previousTokens() {
    return sum(tokens, SLOTS);
  }

  /** Until enough requests have left for one more to fit under {@code rpm}. */
  long untilRequestsFit(int rpm) {
    long mustLeave = requests() - rpm + 1;
    long left = 0;
    for (int i = 0; i < 2 * SLOTS; i++) {
      if (counts(i)) {
        left += requests[i];
        if (left >= mustLeave) {
          return leavesAt(i) - now;
        }
      }
    }
    return 0;
  }

  /** Until enough tokens have left that at most {@code target} remain. */
  long untilTokensFit(long target) {
    long remaining = tokens();
    for (int i = 0; i < 2 * SLOTS; i++) {
      if (counts(i)) {
        remaining -= tokens[i];
        if (remaining <= target) {
          return leavesAt(i) - now;
        }
      }
    }
    return 0;
  }

  RateLimitStatus status(Integer rpm, Integer tpm) {
    return new RateLimitStatus(
        rpm,
        rpm == null ? 0 : Math.max(0, rpm - requests()),
        untilEmpty(requests),
        tpm,
        tpm == null ? 0 : Math.max(0, tpm - tokens()),
        untilEmpty(tokens));
  }

  /** Until the newest slot holding something has left: the window is empty of it then. */
  private long untilEmpty(long[] counts) {
    for (int i = 2 * SLOTS - 1; i >= 0; i--) {
      if (counts[i] > 0 && counts(i)) {
        return leavesAt(i) - now;
      }
    }
    return 0;
  }

  /** A slot's last request came at its end, or now if that is earlier; it leaves a minute later. */
  private long leavesAt(int slot) {
    long lastPossible = Math.min(firstSlotStart + slot * SLOT_MS + SLOT_MS - 1, now);
    return lastPossible + RateLimits.WINDOW_MS;
  }

  private boolean counts(int slot) {
    return leavesAt(slot) > now;
  }

  private long sum(long[] counts, int end) {
    long sum = 0;
    for (int i = 0; i < end; i++) {
      if (counts(i)) {
        sum += counts[i];
      }
    }
    return sum;
  }

  private void read(Map<String, AttributeValue> item, int offset) {
    if (item == null) {
      return;
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      requests[offset + slot] = Attributes.longOf(item, requestsOf(slot));
      tokens[offset + slot] = Attributes.longOf(item, tokensOf(slot));
    }
  }
}
