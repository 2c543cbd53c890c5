package dev.pinaivu.core.id;

/** Crockford base32, lower case, as used by ULIDs and node ids. */
public final class Base32 {
  static final String DIGITS = "0123456789abcdefghjkmnpqrstvwxyz";
  static final char[] ALPHABET = DIGITS.toCharArray();

  private Base32() {}

  /** Encodes {@code bytes} most significant bit first, padding the last group with zero bits. */
  public static String encode(byte[] bytes) {
    int bits = bytes.length * 8;
    StringBuilder out = new StringBuilder((bits + 4) / 5);
    int buffer = 0;
    int buffered = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      buffered += 8;
      while (buffered >= 5) {
        out.append(ALPHABET[(buffer >>> (buffered - 5)) & 31]);
        buffered -= 5;
      }
    }
    if (buffered > 0) {
      out.append(ALPHABET[(buffer << (5 - buffered)) & 31]);
    }
    return out.toString();
  }

  public static boolean isDigit(char c) {
    return DIGITS.indexOf(c) >= 0;
  }
}
