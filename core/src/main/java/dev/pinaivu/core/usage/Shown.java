package dev.pinaivu.core.usage;

/** A client's value quoted in an error message: bounded, so a huge parameter is not echoed. */
final class Shown {
  private static final int MAX_CHARS = 64;

  private Shown() {}

  static String of(String value) {
    if (value == null) {
      return "(missing)";
    }
    String cut = value.length() > MAX_CHARS ? value.substring(0, MAX_CHARS) + "…" : value;
    return "'" + cut + "'";
  }
}
