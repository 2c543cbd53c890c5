package dev.pinaivu.core.money;

/**
 * What a node charges for one model: micro-dollars per million input and output tokens. "$0.15 per
 * 1M input tokens" is {@code inputMicrosPerMillion = 150_000}.
 */
public record TokenPrice(long inputMicrosPerMillion, long outputMicrosPerMillion) {
  public static final TokenPrice FREE = new TokenPrice(0, 0);

  public TokenPrice {
    if (inputMicrosPerMillion < 0 || outputMicrosPerMillion < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  public static TokenPrice ofDollarsPerMillion(String input, String output) {
    return new TokenPrice(Usd.parseMicros(input), Usd.parseMicros(output));
  }

  /** A single figure for comparing offers: input and output weighted equally. */
  public long blendedMicrosPerMillion() {
    return inputMicrosPerMillion + outputMicrosPerMillion;
  }
}
