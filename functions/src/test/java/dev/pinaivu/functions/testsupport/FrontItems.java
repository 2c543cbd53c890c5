package dev.pinaivu.functions.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items of the front's own tests: tables keyed by the string attribute {@code pk}. */
final class FrontItems {
  static final String PK = "pk";

  private FrontItems() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static Map<String, AttributeValue> key(String pk) {
    return Map.of(PK, s(pk));
  }

  /** An item from its key and name/value pairs. */
  static Map<String, AttributeValue> item(String pk, Object... namesAndValues) {
    Map<String, AttributeValue> item = new LinkedHashMap<>(key(pk));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
    }
    return item;
  }

  /** The item as stored now (a consistent read), or null. */
  static Map<String, AttributeValue> stored(DynamoDbClient dynamo, String table, String pk) {
    var found = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true));
    return found.hasItem() ? found.item() : null;
  }
}
