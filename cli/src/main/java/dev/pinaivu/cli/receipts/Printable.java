package dev.pinaivu.cli.receipts;

/**
 * Text from a receipt file or a server, made safe to print on one line: control, line-separator and
 * format (bidi) characters are written as {@code \}{@code uXXXX}, so a crafted value cannot forge a
 * second {@code valid:} line or reorder what the terminal shows.
 */
final class Printable {
  private Printable() {}

  static String line(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(cp -> {
          if (Character.isISOControl(cp)
              || Character.getType(cp) == Character.LINE_SEPARATOR
              || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
              || Character.getType(cp) == Character.FORMAT) {
            out.append(String.format("\\u%04x", cp));
          } else {
            out.appendCodePoint(cp);
          }
        });
    return out.toString();
  }
}
