package dev.pinaivu.core.translog;

/** Character rules shared by note texts, key names and checkpoint lines (C2SP signed-note). */
public final class NoteText {
  private NoteText() {}

  /**
   * Rejects unpaired surrogates (which are not UTF-8) and ASCII controls other than newline, which
   * signed notes must not contain.
   */
  static void requireValid(String text, String what) {
    text.codePoints()
        .forEach(c -> {
          if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
            throw new InvalidNoteException(what + " is not valid UTF-8");
          }
          if (c < 0x20 && c != '\n') {
            throw new InvalidNoteException(
                what + " contains control character U+" + String.format("%04X", c));
          }
        });
  }

  /** A line of a note text: no newline, and otherwise {@link #requireValid}. */
  static void requireLine(String line, String what) {
    if (line == null || line.isEmpty()) {
      throw new InvalidNoteException(what + " is empty");
    }
    if (line.indexOf('\n') >= 0) {
      throw new InvalidNoteException(what + " contains a newline");
    }
    requireValid(line, what);
  }

  /** Key names are non-empty and hold no Unicode space and no plus sign. */
  public static void requireKeyName(String name) {
    requireLine(name, "key name");
    name.codePoints()
        .forEach(c -> {
          if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
            throw new InvalidNoteException(
                "key name \"" + name + "\" contains a space or a plus sign");
          }
        });
  }
}
