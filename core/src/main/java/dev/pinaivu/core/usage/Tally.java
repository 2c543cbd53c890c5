package dev.pinaivu.core.usage;

import java.math.BigDecimal;

/**
 * Running sums over receipts, in exact integer arithmetic (an overflow fails rather than wraps).
 * Tokens are the billed tokens and cost the total charged, as signed in each receipt.
 */
record Tally(long requests, long inputTokens, long outputTokens, long costMicros) {
  static final Tally ZERO = new Tally(0, 0, 0, 0);

  Tally plus(ReceiptFigures receipt) {
    return new Tally(
        Math.addExact(requests, 1),
        Math.addExact(inputTokens, receipt.promptTokens()),
        Math.addExact(outputTokens, receipt.completionTokens()),
        Math.addExact(costMicros, receipt.totalChargedMicros()));
  }

  /**
   * Micro-dollars as dollars with exactly six decimals: 123 is "0.000123", 1500000 is "1.500000".
   */
  static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
