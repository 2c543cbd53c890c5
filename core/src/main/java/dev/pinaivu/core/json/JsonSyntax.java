package dev.pinaivu.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON text, said for the person who sent it: where (line and column) and what
 * the parser found, without the parser's own vocabulary (its source descriptions and feature names
 * mean nothing to a client).
 */
public final class JsonSyntax {
  /** Jackson's "[Source: REDACTED (`StreamReadFeature...` disabled); line: 1, column: 25]". */
  private static final Pattern SOURCE =
      Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");

  private static final Pattern ANY_SOURCE = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");

  private JsonSyntax() {}

  /** For example "at line 1, column 9: Unexpected end-of-input within/between Object entries". */
  public static String describe(JsonProcessingException e) {
    String what = e.getOriginalMessage() == null ? "the JSON is malformed" : e.getOriginalMessage();
    what = SOURCE.matcher(what).replaceAll("line $1, column $2");
    what = ANY_SOURCE.matcher(what).replaceAll("");
    int newline = what.indexOf('\n');
    if (newline >= 0) {
      what = what.substring(0, newline);
    }
    JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return what;
    }
    return "at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + what;
  }
}
