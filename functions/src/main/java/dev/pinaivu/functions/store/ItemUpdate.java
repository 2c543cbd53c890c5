package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One UpdateItem being put together: numbers to {@code ADD} to, attributes to {@code SET} and the
 * condition. Adds to one attribute sum up, so two parts of a transaction that move the same balance
 * (a settlement's charge and the release of its hold) become one action on the item, as
 * TransactWriteItems requires.
 */
final class ItemUpdate {
  private final Map<String, AttributeValue> key;
  private final Map<String, BigInteger> adds = new LinkedHashMap<>();
  private final Map<String, AttributeValue> sets = new LinkedHashMap<>();
  private final Map<String, AttributeValue> setsIfAbsent = new LinkedHashMap<>();
  private final Conditions conditions = new Conditions();

  ItemUpdate(Map<String, AttributeValue> key) {
    this.key = Map.copyOf(key);
  }

  Map<String, AttributeValue> key() {
    return key;
  }

  ItemUpdate add(String attribute, long delta) {
    adds.merge(attribute, BigInteger.valueOf(delta), BigInteger::add);
    return this;
  }

  ItemUpdate set(String attribute, AttributeValue value) {
    sets.put(attribute, value);
    return this;
  }

  ItemUpdate setIfAbsent(String attribute, AttributeValue value) {
    setsIfAbsent.put(attribute, value);
    return this;
  }

  /** The condition, to add clauses to. */
  Conditions require() {
    return conditions;
  }

  Update toUpdate(String table) {
    Placeholders p = new Placeholders();
    String expression = expression(p);
    return Update.builder()
        .tableName(table)
        .key(key)
        .updateExpression(expression)
        .conditionExpression(conditions.render(p))
        .expressionAttributeNames(p.names())
        .expressionAttributeValues(p.values())
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
  }

  UpdateItemRequest toRequest(String table, ReturnValue returnValue) {
    Placeholders p = new Placeholders();
    String expression = expression(p);
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(key)
        .updateExpression(expression)
        .conditionExpression(conditions.render(p))
        .expressionAttributeNames(p.names())
        .expressionAttributeValues(p.values())
        .returnValues(returnValue)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
        .build();
  }

  private String expression(Placeholders p) {
    List<String> set = new ArrayList<>();
    sets.forEach((a, v) -> set.add(p.name(a) + " = " + p.value(v)));
    setsIfAbsent.forEach((a, v) -> {
      String name = p.name(a);
      set.add(name + " = if_not_exists(" + name + ", " + p.value(v) + ")");
    });
    List<String> add = new ArrayList<>();
    adds.forEach((a, d) -> add.add(p.name(a) + " " + p.value(n(d))));
    StringBuilder expression = new StringBuilder();
    if (!set.isEmpty()) {
      expression.append("SET ").append(String.join(", ", set));
    }
    if (!add.isEmpty()) {
      expression
          .append(expression.isEmpty() ? "" : " ")
          .append("ADD ")
          .append(String.join(", ", add));
    }
    if (expression.isEmpty()) {
      throw new IllegalStateException("an update of " + key + " that changes nothing");
    }
    return expression.toString();
  }
}
