package dev.pinaivu.core.usage;

import java.util.List;

/**
 * A usage report in the shape of OpenAI's usage API: a page of buckets, oldest first. Every bucket
 * of the range is present, so the whole report is one page ({@code has_more} false, {@code
 * next_page} null); {@code totals} is a Pinaivu addition. docs/usage.md shows it.
 */
public record UsagePage(
    String object, List<UsageBucket> data, boolean hasMore, String nextPage, UsageTotals totals) {
  public static final String OBJECT = "page";

  public UsagePage {
    if (!OBJECT.equals(object)) {
      throw new IllegalArgumentException("object must be " + OBJECT);
    }
    data = List.copyOf(data);
    if (totals == null) {
      throw new IllegalArgumentException("a usage page has totals");
    }
  }

  static UsagePage of(List<UsageBucket> buckets, UsageTotals totals) {
    return new UsagePage(OBJECT, buckets, false, null, totals);
  }
}
