package dev.pinaivu.core.usage;

/**
 * The sums over every receipt a report counts: exactly the sums of its buckets' results. Fields as
 * in {@link UsageResult}.
 */
public record UsageTotals(
    long numModelRequests, long inputTokens, long outputTokens, long costMicros, String costUsd) {
  public UsageTotals {
    if (!Tally.usd(costMicros).equals(costUsd)) {
      throw new IllegalArgumentException("cost_usd must be cost_micros in dollars");
    }
  }

  static UsageTotals of(Tally tally) {
    return new UsageTotals(
        tally.requests(),
        tally.inputTokens(),
        tally.outputTokens(),
        tally.costMicros(),
        Tally.usd(tally.costMicros()));
  }
}
