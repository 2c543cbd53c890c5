package dev.pinaivu.core.money;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * US dollars as an integer count of micro-dollars (1 µUSD = $0.000001). All money in Pinaivu is
 * integer micro-dollars; decimal strings exist only at the edges (CLI flags, JSON for humans).
 */
public final class Usd {
  public static final long MICROS_PER_DOLLAR = 1_000_000L;

  /**
   * The one written form of a dollar amount that Pinaivu reads: whole dollars without leading
   * zeros, then optionally a point and one to six decimals ("0", "25", "25.00", "0.000001").
   */
  public static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]{1,6})?");

  /** How {@link #AMOUNT} reads in an error message. */
  public static final String AMOUNT_FORM =
      "a decimal number of US dollars such as \"25.00\": digits, then optionally a point and 1 to"
          + " 6 decimals (no sign, exponent, spaces or leading zeros)";

  private static final int MAX_DOLLAR_DIGITS = 12; // $999,999,999,999: far below 2^63 µUSD

  private Usd() {}

  /**
   * Parses a dollar amount written as {@link #AMOUNT} ("0.15" -> 150000).
   *
   * @throws IllegalArgumentException for anything else: a sign, an exponent, spaces, more than six
   *     decimals, an empty string, or more than 12 digits of dollars
   */
  public static long parseMicros(String dollars) {
    if (dollars == null || !AMOUNT.matcher(dollars).matches()) {
      throw new IllegalArgumentException(
          "not a dollar amount: " + quoted(dollars) + "; expected " + AMOUNT_FORM);
    }
    int point = dollars.indexOf('.');
    String whole = point < 0 ? dollars : dollars.substring(0, point);
    String fraction = point < 0 ? "" : dollars.substring(point + 1);
    if (whole.length() > MAX_DOLLAR_DIGITS) {
      throw new IllegalArgumentException(
          "a dollar amount has at most " + MAX_DOLLAR_DIGITS + " digits before the point");
    }
    long micros = Long.parseLong(whole) * MICROS_PER_DOLLAR;
    return micros + Long.parseLong((fraction + "000000").substring(0, 6));
  }

  /**
   * Formats micro-dollars as a plain decimal string without trailing zeros ("150000" -> "0.15").
   */
  public static String format(long micros) {
    BigDecimal value = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
  }

  /** The refused input, shortened: an error message must not carry a megabyte of it. */
  private static String quoted(String input) {
    if (input == null) {
      return "nothing";
    }
    return "\"" + (input.length() > 40 ? input.substring(0, 40) + "..." : input) + "\"";
  }
}
