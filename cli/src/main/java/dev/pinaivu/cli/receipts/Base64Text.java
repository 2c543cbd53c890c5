package dev.pinaivu.cli.receipts;

import java.util.Base64;

/**
 * Base64 as people and servers write it: url-safe or standard, padded or not, whitespace ignored.
 */
final class Base64Text {
  private Base64Text() {}

  /** The bytes, or {@link IllegalArgumentException} when {@code text} is not base64. */
  static byte[] decode(String text) {
    String compact = text.replaceAll("\\s+", "");
    boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
    return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
  }
}
