package dev.pinaivu.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into word-ish tokens the way BPE output looks: leading whitespace stays with the
 * token ({@code " world"}), letters and digits form one run, punctuation another, and no run is
 * longer than {@value #MAX_RUN} code points. Joining the tokens gives back the text exactly.
 */
final class Tokenizer {

  static final int MAX_RUN = 8;

  private Tokenizer() {}

  static List<String> split(String text) {
    List<String> tokens = new ArrayList<>();
    for (int start = 0, end; start < text.length(); start = end) {
      end = endOfToken(text, start);
      tokens.add(text.substring(start, end));
    }
    return tokens;
  }

  static int count(String text) {
    int count = 0;
    for (int start = 0; start < text.length(); start = endOfToken(text, start)) {
      count++;
    }
    return count;
  }

  private static int endOfToken(String text, int start) {
    int i = start;
    while (i < text.length() && Character.isWhitespace(text.codePointAt(i))) {
      i += Character.charCount(text.codePointAt(i));
    }
    if (i == text.length()) {
      return i;
    }
    boolean word = Character.isLetterOrDigit(text.codePointAt(i));
    for (int run = 0; i < text.length() && run < MAX_RUN; run++) {
      int codePoint = text.codePointAt(i);
      if (Character.isWhitespace(codePoint) || Character.isLetterOrDigit(codePoint) != word) {
        break;
      }
      i += Character.charCount(codePoint);
    }
    return i;
  }
}
