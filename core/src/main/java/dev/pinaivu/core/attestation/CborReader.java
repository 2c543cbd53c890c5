package dev.pinaivu.core.attestation;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;

/**
 * Typed reads over Jackson's streaming CBOR parser, each failing with a {@link
 * MalformedAttestationException} that names the item being read. Definite and indefinite lengths
 * look the same here; tags are refused unless the caller asks for one.
 */
final class CborReader implements AutoCloseable {
  /** Undefined and simple values surface as objects that are not byte strings, so they fail. */
  private static final CBORFactory FACTORY =
      CBORFactory.builder()
          .enable(CBORParser.Feature.READ_UNDEFINED_AS_EMBEDDED_OBJECT)
          .enable(CBORParser.Feature.READ_SIMPLE_VALUE_AS_EMBEDDED_OBJECT)
          .build();

  private static final int MAJOR_UNSIGNED = 0;
  private static final int MAJOR_NEGATIVE = 1;
  private static final int MAJOR_TEXT = 3;

  private final byte[] input;
  private final CBORParser parser;

  CborReader(byte[] input) throws MalformedAttestationException {
    this.input = input;
    this.parser = call("input", () -> FACTORY.createParser(input));
  }

  /** Starts an array that may carry one tag; returns the tag, or -1 when untagged. */
  int startTaggedArray(String what) throws MalformedAttestationException {
    JsonToken token = next(what, true);
    int tag = parser.getCurrentTag();
    if (token != JsonToken.START_ARRAY) {
      throw new MalformedAttestationException(what + " must be an array, got " + kind(token));
    }
    if (parser.getCurrentTags().size() > 1) {
      throw new MalformedAttestationException(what + " carries more than one CBOR tag");
    }
    return tag;
  }

  void startArray(String what) throws MalformedAttestationException {
    expect(next(what, false), JsonToken.START_ARRAY, "an array", what);
  }

  void startMap(String what) throws MalformedAttestationException {
    expect(next(what, false), JsonToken.START_OBJECT, "a map", what);
  }

  /** Reads a map and ignores what it holds. */
  void skipMap(String what) throws MalformedAttestationException {
    startMap(what);
    call(what, parser::skipChildren);
  }

  /** Advances inside a map: true at the next key, false at the map's end. */
  boolean nextKey(String map) throws MalformedAttestationException {
    JsonToken token = next(map, false);
    if (token == JsonToken.END_OBJECT) {
      return false;
    }
    expect(token, JsonToken.FIELD_NAME, "a key", "key in " + map);
    return true;
  }

  String textKey(String map) throws MalformedAttestationException {
    requireKeyMajorType(map, MAJOR_TEXT, "text");
    return currentName();
  }

  long integerKey(String map) throws MalformedAttestationException {
    int major = keyMajorType();
    if (major != MAJOR_UNSIGNED && major != MAJOR_NEGATIVE) {
      throw new MalformedAttestationException("keys of " + map + " must be integers");
    }
    try {
      return Long.parseLong(currentName());
    } catch (NumberFormatException e) {
      throw new MalformedAttestationException("key in " + map + " is out of range");
    }
  }

  /** Advances inside an array: true at the next element, false at the array's end. */
  boolean nextElement(String array) throws MalformedAttestationException {
    return next(array, false) != JsonToken.END_ARRAY;
  }

  byte[] bytes(String what) throws MalformedAttestationException {
    return currentBytes(next(what, false), what);
  }

  /** A byte string, or null when the item is CBOR null. */
  byte[] bytesOrNull(String what) throws MalformedAttestationException {
    JsonToken token = next(what, false);
    return token == JsonToken.VALUE_NULL ? null : currentBytes(token, what);
  }

  /** The byte string at the current position, after {@link #nextElement}. */
  byte[] currentBytes(String what) throws MalformedAttestationException {
    return currentBytes(parser.currentToken(), what);
  }

  String text(String what) throws MalformedAttestationException {
    expect(next(what, false), JsonToken.VALUE_STRING, "a text string", what);
    return call(what, parser::getText);
  }

  /** An integer that fits a signed 64-bit long. */
  long integer(String what) throws MalformedAttestationException {
    expect(next(what, false), JsonToken.VALUE_NUMBER_INT, "an integer", what);
    if (call(what, parser::getNumberType) == CBORParser.NumberType.BIG_INTEGER) {
      throw new MalformedAttestationException(what + " is out of range");
    }
    return call(what, parser::getLongValue);
  }

  /** Skips the next item, whatever it is. */
  void skip(String what) throws MalformedAttestationException {
    next(what, false);
    call(what, parser::skipChildren);
  }

  /** Fails unless every input byte has been read. */
  void requireEnd(String what) throws MalformedAttestationException {
    JsonToken token;
    try {
      token = parser.nextToken();
    } catch (IOException e) {
      throw new MalformedAttestationException("unexpected bytes after the " + what);
    }
    if (token != null) {
      throw new MalformedAttestationException("unexpected bytes after the " + what);
    }
  }

  @Override
  public void close() {
    try {
      parser.close();
    } catch (IOException e) {
      // a parser over a byte array holds nothing to release
    }
  }

  private JsonToken next(String what, boolean tagAllowed) throws MalformedAttestationException {
    JsonToken token = call(what, parser::nextToken);
    if (token == null) {
      throw new MalformedAttestationException("input ends inside the " + what);
    }
    if (!tagAllowed && parser.getCurrentTag() != -1) {
      throw new MalformedAttestationException(
          what + " carries an unexpected CBOR tag " + parser.getCurrentTag());
    }
    return token;
  }

  private byte[] currentBytes(JsonToken token, String what) throws MalformedAttestationException {
    expect(token, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string", what);
    if (!(call(what, parser::getEmbeddedObject) instanceof byte[] bytes)) {
      throw new MalformedAttestationException(
          what + " must be a byte string, got undefined or a simple value");
    }
    return bytes;
  }

  private String currentName() throws MalformedAttestationException {
    return call("key", parser::currentName);
  }

  private void requireKeyMajorType(String map, int major, String kind)
      throws MalformedAttestationException {
    if (keyMajorType() != major) {
      throw new MalformedAttestationException("keys of " + map + " must be " + kind);
    }
  }

  /** Jackson turns integer keys into names, so the key's type is read from its first byte. */
  private int keyMajorType() {
    long offset = parser.currentTokenLocation().getByteOffset();
    return offset < 0 || offset >= input.length ? -1 : (input[(int) offset] & 0xff) >> 5;
  }

  private static void expect(JsonToken token, JsonToken expected, String kind, String what)
      throws MalformedAttestationException {
    if (token != expected) {
      throw new MalformedAttestationException(what + " must be " + kind + ", got " + kind(token));
    }
  }

  private static String kind(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a map";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a text string";
      case VALUE_EMBEDDED_OBJECT -> "a byte string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a float";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case END_OBJECT -> "the end of a map";
      case END_ARRAY -> "the end of an array";
      default -> token.toString();
    };
  }

  private interface ParserCall<T> {
    T call() throws IOException;
  }

  /** Runs a parser call, turning Jackson's IOException into a reason naming {@code what}. */
  private static <T> T call(String what, ParserCall<T> call) throws MalformedAttestationException {
    try {
      return call.call();
    } catch (IOException e) {
      String message = e instanceof StreamReadException s ? s.getOriginalMessage() : e.getMessage();
      throw new MalformedAttestationException(
          "invalid CBOR in the " + what + ": " + OneLine.of(message));
    }
  }
}
