package dev.pinaivu.core.pricing;

/**
 * The network fee, in basis points of the node's amount: 250 is 2.5%. The fee is rounded up to the
 * next whole micro-dollar, so a non-zero fee rate never rounds a paid request down to a free one.
 */
public record FeePolicy(int feeBps) {
  public static final int MAX_BPS = 10_000;
  public static final FeePolicy NONE = new FeePolicy(0);

  public FeePolicy {
    if (feeBps < 0 || feeBps > MAX_BPS) {
      throw new IllegalArgumentException("fee_bps must be 0..10000, got " + feeBps);
    }
  }

  /**
   * {@code ceil(nodeAmount * fee_bps / 10 000)}; throws {@link ArithmeticException} on overflow.
   */
  public long feeOn(long nodeAmount) {
    if (nodeAmount < 0) {
      throw new IllegalArgumentException("an amount cannot be negative");
    }
    return Math.ceilDiv(Math.multiplyExact(nodeAmount, (long) feeBps), MAX_BPS);
  }
}
