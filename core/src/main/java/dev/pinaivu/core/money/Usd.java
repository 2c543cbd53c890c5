package dev.pinaivu.core.money;

import java.math.BigDecimal;

/**
 * US dollars as an integer count of micro-dollars (1 µUSD = $0.000001). All money in Pinaivu is
 * integer micro-dollars; decimal strings exist only at the edges (CLI flags, JSON for humans).
 */
public final class Usd {
  public static final long MICROS_PER_DOLLAR = 1_000_000L;

  private Usd() {}

  /** Parses a non-negative decimal dollar amount with at most six decimals ("0.15" -> 150000). */
  public static long parseMicros(String dollars) {
    BigDecimal value;
    try {
      value = new BigDecimal(dollars.strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("not a dollar amount: " + dollars);
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a dollar amount cannot be negative: " + dollars);
    }
    try {
      return value.movePointRight(6).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "dollar amounts have at most six decimals and fit 64 bits: " + dollars);
    }
  }

  /**
   * Formats micro-dollars as a plain decimal string without trailing zeros ("150000" -> "0.15").
   */
  public static String format(long micros) {
    BigDecimal value = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
  }
}
