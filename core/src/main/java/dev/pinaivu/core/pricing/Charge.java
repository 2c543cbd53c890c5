package dev.pinaivu.core.pricing;

import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * What one request costs, in integer micro-dollars, with the prices and fee rate it was computed
 * from, so that anyone can recompute it. It is also the {@code charge} member of a receipt.
 *
 * <pre>
 * node_amount   = ceil((prompt_tokens * input_price + completion_tokens * output_price) / 1 000 000)
 * fee           = ceil(node_amount * fee_bps / 10 000)
 * total_charged = node_amount + fee
 * </pre>
 *
 * Prices are µUSD per million tokens; tokens are the billed usage. Every step is exact 64-bit
 * arithmetic and refuses to overflow. The division leaves node_amount below 2^63 / 10^6, so every
 * amount also stays below 2^53, the largest integer a receipt (canonical JSON) carries exactly.
 */
public record Charge(
    String currency,
    String unit,
    long inputMicrosPerMtok,
    long outputMicrosPerMtok,
    long nodeAmount,
    int feeBps,
    long fee,
    long totalCharged) {
  public static final String CURRENCY = "USD";
  public static final String UNIT = "micro_usd";

  /** The largest integer every JSON reader (JavaScript included) holds exactly. */
  public static final long MAX_AMOUNT = (1L << 53) - 1;

  private static final long TOKENS_PER_PRICE_UNIT = 1_000_000L;

  public Charge {
    if (!CURRENCY.equals(currency)) {
      throw new IllegalArgumentException("currency must be " + CURRENCY + ", got " + currency);
    }
    if (!UNIT.equals(unit)) {
      throw new IllegalArgumentException("unit must be " + UNIT + ", got " + unit);
    }
    new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
    new FeePolicy(feeBps);
    requireAmount(nodeAmount, "node_amount");
    requireAmount(fee, "fee");
    requireAmount(totalCharged, "total_charged");
  }

  /**
   * The charge for {@code billed} tokens at {@code price} under {@code fees}.
   *
   * @throws ArithmeticException when a step overflows 64 bits
   */
  public static Charge of(Usage billed, TokenPrice price, FeePolicy fees) {
    long nodeAmount;
    long fee;
    try {
      nodeAmount = nodeAmount(billed, price);
      fee = fees.feeOn(nodeAmount);
    } catch (ArithmeticException e) {
      throw new ArithmeticException(
          "the charge for "
              + billed.promptTokens()
              + " prompt and "
              + billed.completionTokens()
              + " completion tokens overflows 64-bit arithmetic");
    }
    long total = nodeAmount + fee;
    return new Charge(
        CURRENCY,
        UNIT,
        price.inputMicrosPerMillion(),
        price.outputMicrosPerMillion(),
        nodeAmount,
        fees.feeBps(),
        fee,
        total);
  }

  /** {@code ceil((prompt * input + completion * output) / 1 000 000)}, exactly. */
  public static long nodeAmount(Usage billed, TokenPrice price) {
    long input = Math.multiplyExact(billed.promptTokens(), price.inputMicrosPerMillion());
    long output = Math.multiplyExact(billed.completionTokens(), price.outputMicrosPerMillion());
    return Math.ceilDiv(Math.addExact(input, output), TOKENS_PER_PRICE_UNIT);
  }

  public TokenPrice price() {
    return new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
  }

  public FeePolicy feePolicy() {
    return new FeePolicy(feeBps);
  }

  /**
   * Recomputes this charge from {@code billed} and its own prices and fee rate; empty when every
   * amount matches, else the first one that does not, with both sides of the sum.
   */
  public Optional<String> mismatchFor(Usage billed) {
    Objects.requireNonNull(billed, "billed");
    long expectedNode;
    long expectedFee;
    try {
      expectedNode = nodeAmount(billed, price());
      expectedFee = feePolicy().feeOn(nodeAmount);
    } catch (ArithmeticException e) {
      return Optional.of("charge overflows 64-bit arithmetic: " + e.getMessage());
    }
    if (nodeAmount != expectedNode) {
      return Optional.of(
          String.format(
              "charge.node_amount %d != ceil((%d prompt * %d + %d completion * %d) / 1000000) = %d",
              nodeAmount,
              billed.promptTokens(),
              inputMicrosPerMtok,
              billed.completionTokens(),
              outputMicrosPerMtok,
              expectedNode));
    }
    if (fee != expectedFee) {
      return Optional.of(
          String.format(
              "charge.fee %d != ceil(node_amount %d * fee_bps %d / 10000) = %d",
              fee, nodeAmount, feeBps, expectedFee));
    }
    if (totalCharged != nodeAmount + fee) {
      return Optional.of(
          String.format(
              "charge.total_charged %d != node_amount %d + fee %d = %d",
              totalCharged, nodeAmount, fee, nodeAmount + fee));
    }
    return Optional.empty();
  }

  private static void requireAmount(long amount, String field) {
    if (amount < 0 || amount > MAX_AMOUNT) {
      throw new IllegalArgumentException(field + " must be 0..2^53-1 µUSD, got " + amount);
    }
  }
}
