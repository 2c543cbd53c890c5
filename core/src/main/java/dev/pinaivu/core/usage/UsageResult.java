package dev.pinaivu.core.usage;

/**
 * The usage of one group in one bucket. {@code model} and {@code keyId} are null unless the report
 * groups by them.
 *
 * @param numModelRequests receipts counted (one per request that was billed or not)
 * @param inputTokens billed prompt tokens
 * @param outputTokens billed completion tokens
 * @param costMicros total charged, in micro-dollars (the exact figure)
 * @param costUsd the same, as dollars with six decimals ("0.000123"), for humans
 */
public record UsageResult(
    String object,
    String model,
    String keyId,
    long numModelRequests,
    long inputTokens,
    long outputTokens,
    long costMicros,
    String costUsd) {
  public static final String OBJECT = "usage.result";

  public UsageResult {
    if (!OBJECT.equals(object)) {
      throw new IllegalArgumentException("object must be " + OBJECT);
    }
    if (!Tally.usd(costMicros).equals(costUsd)) {
      throw new IllegalArgumentException("cost_usd must be cost_micros in dollars");
    }
  }

  static UsageResult of(String model, String keyId, Tally tally) {
    return new UsageResult(
        OBJECT,
        model,
        keyId,
        tally.requests(),
        tally.inputTokens(),
        tally.outputTokens(),
        tally.costMicros(),
        Tally.usd(tally.costMicros()));
  }
}
