package dev.pinaivu.functions.store;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The placeholders of one request's expressions: every attribute name becomes {@code #aN} (many of
 * ours are DynamoDB reserved words: {@code key}, {@code name}, {@code ttl}, ...) and every value
 * {@code :vN}, so no expression ever holds a name or a value written inline.
 */
final class Placeholders {
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, String> byAttribute = new HashMap<>();
  private final Map<String, AttributeValue> values = new LinkedHashMap<>();

  String name(String attribute) {
    return byAttribute.computeIfAbsent(
        attribute,
        a -> {
          String placeholder = "#a" + names.size();
          names.put(placeholder, a);
          return placeholder;
        });
  }

  String value(AttributeValue value) {
    String placeholder = ":v" + values.size();
    values.put(placeholder, value);
    return placeholder;
  }

  /** The names, or null when none: DynamoDB refuses an empty map. */
  Map<String, String> names() {
    return names.isEmpty() ? null : Map.copyOf(names);
  }

  /** The values, or null when none. */
  Map<String, AttributeValue> values() {
    return values.isEmpty() ? null : Map.copyOf(values);
  }
}
