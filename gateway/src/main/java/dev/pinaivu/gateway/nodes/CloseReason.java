package dev.pinaivu.gateway.nodes;

import java.nio.charset.StandardCharsets;

/** A WebSocket close reason: {@code code: message}, cut to the 123 bytes a close frame allows. */
final class CloseReason {
  static final int MAX_BYTES = 123;

  private CloseReason() {}

  static String of(String code, String message) {
    String reason = code + ": " + message;
    if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return reason;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_BYTES) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += size;
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
