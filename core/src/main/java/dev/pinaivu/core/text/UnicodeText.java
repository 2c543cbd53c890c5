package dev.pinaivu.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether text is valid Unicode: a Java string is, unless it holds a surrogate that is not half of
 * a pair (JSON lets {@code "\ud800"} through as an escape, and such a string cannot be encoded as
 * UTF-8, so a WebSocket or HTTP write of it fails). Everything the network passes on is checked
 * here first, so that bad text fails the one request or job it belongs to, never a connection.
 */
public final class UnicodeText {
  private UnicodeText() {}

  /** True when every surrogate in {@code text} is half of a high-low pair. */
  public static boolean isWellFormed(CharSequence text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == n
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++; // the low half of the pair
      }
    }
    return true;
  }

  /** True when every string in {@code node}, member names included, is well formed. */
  public static boolean isWellFormed(JsonNode node) {
    if (node == null) {
      return true;
    }
    if (node.isTextual()) {
      return isWellFormed(node.textValue());
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!isWellFormed(field.getKey()) || !isWellFormed(field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (!isWellFormed(element)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The path of the first string (member name or value) in {@code node} that is not well formed,
   * written as a request parameter ({@code messages[0].content}); null when all are.
   *
   * @param prefix the path of {@code node} itself ("" for the root)
   */
  public static String firstIllFormed(JsonNode node, String prefix) {
    if (node == null || isWellFormed(node)) {
      return null; // the common case, without building a path for every member
    }
    if (node.isTextual()) {
      return isWellFormed(node.textValue()) ? null : prefix;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = firstIllFormed(node.get(i), prefix + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        if (!isWellFormed(field.getKey())) {
          return prefix.isEmpty() ? "(a member name)" : prefix;
        }
        String found = firstIllFormed(field.getValue(), path);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
