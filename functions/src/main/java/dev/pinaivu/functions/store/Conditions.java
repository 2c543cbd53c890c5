package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The condition of one write, as clauses that must all hold. Bounds compare a number with a value
 * computed beforehand (DynamoDB conditions cannot compute), and an absent number counts as 0: an
 * account that was never credited has nothing available, a key that never spent has spent 0.
 */
final class Conditions {
  private final List<Function<Placeholders, String>> clauses = new ArrayList<>();

  /** The item does not exist yet. */
  Conditions absent() {
    clauses.add(p -> "attribute_not_exists(" + p.name(NetworkTable.PK) + ")");
    return this;
  }

  /** The item exists. */
  Conditions present() {
    clauses.add(p -> "attribute_exists(" + p.name(NetworkTable.PK) + ")");
    return this;
  }

  Conditions absent(String attribute) {
    clauses.add(p -> "attribute_not_exists(" + p.name(attribute) + ")");
    return this;
  }

  Conditions equal(String attribute, AttributeValue value) {
    clauses.add(p -> p.name(attribute) + " = " + p.value(value));
    return this;
  }

  /** The number is at most {@code bound} (absent counts as 0). */
  Conditions atMost(String attribute, long bound) {
    return bounded(attribute, "<=", bound, 0 <= bound);
  }

  /** The number is at least {@code bound} (absent counts as 0). */
  Conditions atLeast(String attribute, long bound) {
    return bounded(attribute, ">=", bound, 0 >= bound);
  }

  boolean isEmpty() {
    return clauses.isEmpty();
  }

  /** The expression, or null when there is no condition. */
  String render(Placeholders placeholders) {
    if (clauses.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (Function<Placeholders, String> clause : clauses) {
      parts.add("(" + clause.apply(placeholders) + ")");
    }
    return String.join(" AND ", parts);
  }

  private Conditions bounded(String attribute, String operator, long bound, boolean absentPasses) {
    clauses.add(p -> {
      String name = p.name(attribute);
      String comparison = name + " " + operator + " " + p.value(n(bound));
      return absentPasses ? "attribute_not_exists(" + name + ") OR " + comparison : comparison;
    });
    return this;
  }
}
