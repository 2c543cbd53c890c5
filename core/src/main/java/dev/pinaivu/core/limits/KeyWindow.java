package dev.pinaivu.core.limits;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One key's sliding one-minute window: every request admitted in the last minute, with the tokens
 * it holds (its reservation until settled, then its actual use). Checks and changes happen under
 * this object's lock, so concurrent admissions of one key never pass the limit together.
 */
final class KeyWindow {
  /** One admitted request. Its tokens change once, when it is settled or released. */
  static final class Entry {
    final String id;
    final long atMs;
    long tokens;
    boolean settled;

    Entry(String id, long atMs, long tokens) {
      this.id = id;
      this.atMs = atMs;
      this.tokens = tokens;
    }
  }

  private final String keyId;
  private final long windowMs;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final Map<String, Entry> byTicket = new HashMap<>();
  private long tokens;

  KeyWindow(String keyId, long windowMs) {
    this.keyId = keyId;
    this.windowMs = windowMs;
  }

  /**
   * Admits a request that reserves {@code reserve} tokens, or throws {@link RateLimitedException}.
   */
  synchronized Ticket admit(String ticketId, Integer rpm, Integer tpm, long reserve, long now) {
    prune(now);
    if (tpm != null && reserve > tpm) {
      throw RateLimitedException.tooLarge(keyId, tpm, reserve, status(rpm, tpm, now));
    }
    long requestWait = rpm != null && entries.size() >= rpm ? untilRequestsFit(rpm, now) : 0;
    long tokenWait = tpm != null && tokens + reserve > tpm ? untilTokensFit(tpm - reserve, now) : 0;
    if (requestWait > 0 || tokenWait > 0) {
      RateLimitStatus status = status(rpm, tpm, now);
      if (requestWait >= tokenWait) {
        throw RateLimitedException.windowFull(
            keyId, "requests per min (RPM)", rpm, entries.size(), 1, requestWait, status);
      }
      throw RateLimitedException.windowFull(
          keyId, "tokens per min (TPM)", tpm, tokens, reserve, tokenWait, status);
    }
    long at = entries.isEmpty() ? now : Math.max(now, entries.peekLast().atMs);
    Entry entry = new Entry(ticketId, at, reserve);
    entries.addLast(entry);
    byTicket.put(ticketId, entry);
    tokens += reserve;
    return new Ticket(ticketId, keyId, at, reserve, status(rpm, tpm, now));
  }

  /**
   * Sets an admitted request's tokens, once; nothing changes once it has left the window or was
   * settled before.
   */
  synchronized void settle(String ticketId, long newTokens, long now) {
    prune(now);
    Entry entry = byTicket.get(ticketId);
    if (entry != null && !entry.settled) {
      entry.settled = true;
      tokens += newTokens - entry.tokens;
      entry.tokens = newTokens;
    }
  }

  synchronized long tokensInWindow(long now) {
    prune(now);
    return tokens;
  }

  private void prune(long now) {
    while (!entries.isEmpty() && entries.peekFirst().atMs + windowMs <= now) {
      Entry gone = entries.removeFirst();
      byTicket.remove(gone.id);
      tokens -= gone.tokens;
    }
  }

  /** Until enough requests have left the window for one more to fit. */
  private long untilRequestsFit(int rpm, long now) {
    int mustLeave = entries.size() - rpm + 1;
    Iterator<Entry> it = entries.iterator();
    Entry last = null;
    for (int i = 0; i < mustLeave; i++) {
      last = it.next();
    }
    return last.atMs + windowMs - now;
  }

  /** Until enough tokens have left the window that at most {@code target} remain. */
  private long untilTokensFit(long target, long now) {
    long remaining = tokens;
    for (Entry e : entries) {
      remaining -= e.tokens;
      if (remaining <= target) {
        return e.atMs + windowMs - now;
      }
    }
    return windowMs; // unreachable: an empty window holds no tokens
  }

  private RateLimitStatus status(Integer rpm, Integer tpm, long now) {
    long requestsReset = entries.isEmpty() ? 0 : entries.peekLast().atMs + windowMs - now;
    long tokensReset = 0;
    for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.tokens > 0) {
        tokensReset = e.atMs + windowMs - now;
        break;
      }
    }
    return new RateLimitStatus(
        rpm,
        rpm == null ? 0 : Math.max(0, rpm - entries.size()),
        requestsReset,
        tpm,
        tpm == null ? 0 : Math.max(0, tpm - tokens),
        tokensReset);
  }
}
