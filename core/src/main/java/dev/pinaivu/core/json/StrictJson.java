package dev.pinaivu.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The grammar of a file that holds signed documents (docs/receipts.md §1.1): UTF-8 without a
 * byte-order mark, one JSON value, no repeated member names, and every number, anywhere, a plain
 * decimal integer in 0 … 2^53 − 1 ({@code -0}, {@code -1}, {@code 1.0}, {@code 1e3} are refused).
 * Two honest verifiers reading such a file cannot disagree about what it says.
 */
public final class StrictJson {
  private static final Pattern PLAIN_INTEGER = Pattern.compile("0|[1-9][0-9]{0,15}");
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private StrictJson() {}

  /**
   * Parses {@code bytes} by the grammar above.
   *
   * @throws IllegalArgumentException with a one-line reason when they break it
   */
  public static JsonNode parse(byte[] bytes) {
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      throw new IllegalArgumentException("the file starts with a UTF-8 byte-order mark");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the file is not UTF-8");
    }
    try {
      checkNumbers(text);
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(firstLine(e.getOriginalMessage()));
    }
  }

  private static void checkNumbers(String text) throws JsonProcessingException {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          throw new IllegalArgumentException(
              "number " + parser.getText() + " is not an integer (" + at(parser) + ")");
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
          String number = parser.getText();
          if (!PLAIN_INTEGER.matcher(number).matches()
              || Long.parseLong(number) > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException(
                "number "
                    + number
                    + " is not an integer in 0..2^53-1 written plainly ("
                    + at(parser)
                    + ")");
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
  }

  private static String at(JsonParser parser) {
    return "line "
        + parser.currentTokenLocation().getLineNr()
        + ", column "
        + parser.currentTokenLocation().getColumnNr();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
