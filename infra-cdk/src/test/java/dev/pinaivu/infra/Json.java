package dev.pinaivu.infra;

import java.util.List;
import java.util.Map;

/** Casts for walking a synthesized template, and Fn::Join flattened for reading. */
final class Json {

  private Json() {}

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> resources(Object value) {
    return (Map<String, Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  static <V> Map<String, V> map(Object value) {
    return (Map<String, V>) value;
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> list(Object value) {
    return (List<T>) value;
  }

  /**
   * A string, or an {@code Fn::Join} of strings and references, as text: {@code {"Ref": "X"}}
   * becomes {@code ${X}}, anything else its JSON-ish toString in {@code ${...}}.
   */
  static String joined(Object value) {
    if (value instanceof String text) {
      return text;
    }
    Map<String, Object> intrinsic = map(value);
    if (intrinsic.containsKey("Fn::Join")) {
      List<Object> join = list(intrinsic.get("Fn::Join"));
      StringBuilder out = new StringBuilder();
      List<Object> parts = list(join.get(1));
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          out.append(join.get(0));
        }
        out.append(joined(parts.get(i)));
      }
      return out.toString();
    }
    if (intrinsic.containsKey("Ref")) {
      return "${" + intrinsic.get("Ref") + "}";
    }
    return "${" + intrinsic + "}";
  }
}
