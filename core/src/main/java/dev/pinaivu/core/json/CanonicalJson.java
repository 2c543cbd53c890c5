package dev.pinaivu.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON Canonicalization Scheme (RFC 8785) for the values we sign: objects, arrays, strings,
 * booleans, null and integers. Floating-point numbers are refused on purpose: nothing we sign
 * carries one, and refusing them removes the only hard part of JCS (ES6 number formatting). Members
 * are sorted by UTF-16 code units, which is what {@link String#compareTo} does.
 */
public final class CanonicalJson {
  /** Integers beyond 2^53 lose precision in JavaScript verifiers, so they are refused. */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private CanonicalJson() {}

  public static byte[] bytes(JsonNode value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] bytes(Object value) {
    return bytes(Json.MAPPER.valueToTree(value));
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeString(members.get(i).getKey(), out);
          out.append(':');
          write(members.get(i).getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case NUMBER -> writeInteger(node, out);
      default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  private static void writeInteger(JsonNode node, StringBuilder out) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IllegalArgumentException("only integers are allowed in canonical JSON: " + node);
    }
    long v = node.longValue();
    if (v < 0) {
      throw new IllegalArgumentException("negative integer in canonical JSON: " + v);
    }
    if (v > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("integer beyond 2^53 in canonical JSON: " + v);
    }
    out.append(v);
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c) && !isPairedSurrogate(s, i)) {
            throw new IllegalArgumentException("lone surrogate in canonical JSON string");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
