package dev.pinaivu.functions.store;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Values of the network table's items, to and from DynamoDB's attribute values. A number that is
 * absent reads as 0 (an account never credited has no balance item), and a set that is absent as
 * empty (DynamoDB stores no empty sets).
 */
final class Attributes {
  private Attributes() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static AttributeValue n(BigInteger value) {
    return AttributeValue.fromN(value.toString());
  }

  static AttributeValue ss(Set<String> values) {
    return AttributeValue.fromSs(values.stream().sorted().toList());
  }

  static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  /** The number {@code name}, 0 when absent. */
  static BigInteger number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item == null ? null : item.get(name);
    return value == null || value.n() == null ? BigInteger.ZERO : new BigInteger(value.n());
  }

  /** The number {@code name} as a long, 0 when absent; it must fit. */
  static long longOf(Map<String, AttributeValue> item, String name) {
    return number(item, name).longValueExact();
  }

  /** The number {@code name} as a long, or null when absent. */
  static Long nullableLong(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Long.parseLong(value.n());
  }

  /** A number that may have left the 64-bit range (a sum DynamoDB keeps exactly), clamped to it. */
  static long clamped(BigInteger value) {
    return value
        .max(BigInteger.valueOf(Long.MIN_VALUE))
        .min(BigInteger.valueOf(Long.MAX_VALUE))
        .longValue();
  }

  static Set<String> stringSet(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || !value.hasSs() ? Set.of() : new TreeSet<>(value.ss());
  }
}
