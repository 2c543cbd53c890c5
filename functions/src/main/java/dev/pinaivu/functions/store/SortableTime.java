package dev.pinaivu.functions.store;

import java.util.Optional;

/**
 * Epoch milliseconds in sort keys: 13 zero-padded digits, so that strings sort as the times do
 * (until the year 2286). A sort key is {@code <time>#<more>}; a range of times becomes a BETWEEN of
 * two strings, the upper one ending in {@code $}, which sorts just after {@code #}.
 */
final class SortableTime {
  static final long MAX = 9_999_999_999_999L;

  private SortableTime() {}

  /** The time as 13 digits. */
  static String of(long ms) {
    if (ms < 0 || ms > MAX) {
      throw new IllegalArgumentException(
          "a time of " + ms + " ms is outside what the table stores (1970 to 2286)");
    }
    return String.format("%013d", ms);
  }

  /** The bounds of the sort keys {@code <time>#...} with {@code fromMs <= time < toMs}. */
  record Range(String low, String high) {}

  /** The range for {@code [fromMs, toMs)}; empty when no storable time is in it. */
  static Optional<Range> range(long fromMs, long toMs) {
    if (fromMs > toMs) {
      throw new IllegalArgumentException("fromMs " + fromMs + " is after toMs " + toMs);
    }
    long first = Math.max(fromMs, 0);
    long last = Math.min(toMs - 1, MAX);
    if (fromMs == toMs || first > last) {
      return Optional.empty();
    }
    return Optional.of(new Range(of(first), of(last) + "$"));
  }
}
