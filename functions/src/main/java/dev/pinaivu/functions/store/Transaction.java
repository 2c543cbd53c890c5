package dev.pinaivu.functions.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * One TransactWriteItems being put together. Every action has a name, by which the cancellation
 * reasons are read ({@link Cancellation}); every action returns the item as it was when its
 * condition fails. Updates of one item made by different parts merge into one action ({@link
 * #update}), since DynamoDB refuses two actions on one item.
 */
final class Transaction {
  private final String table;
  private final List<Object> actions = new ArrayList<>();
  private final Map<String, Integer> byName = new HashMap<>();
  private final Map<Map<String, AttributeValue>, Integer> byKey = new HashMap<>();

  Transaction(String table) {
    this.table = table;
  }

  Transaction put(String name, Map<String, AttributeValue> item, Conditions conditions) {
    Placeholders p = new Placeholders();
    Put put =
        Put.builder()
            .tableName(table)
            .item(item)
            .conditionExpression(conditions.render(p))
            .expressionAttributeNames(p.names())
            .expressionAttributeValues(p.values())
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    return add(name, NetworkKeys.keyOf(item), TransactWriteItem.builder().put(put).build());
  }

  Transaction delete(String name, Map<String, AttributeValue> key, Conditions conditions) {
    Placeholders p = new Placeholders();
    Delete delete =
        Delete.builder()
            .tableName(table)
            .key(key)
            .conditionExpression(conditions.render(p))
            .expressionAttributeNames(p.names())
            .expressionAttributeValues(p.values())
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    return add(name, key, TransactWriteItem.builder().delete(delete).build());
  }

  /** A condition on an item the transaction does not write. */
  Transaction check(String name, Map<String, AttributeValue> key, Conditions conditions) {
    Placeholders p = new Placeholders();
    ConditionCheck check =
        ConditionCheck.builder()
            .tableName(table)
            .key(key)
            .conditionExpression(conditions.render(p))
            .expressionAttributeNames(p.names())
            .expressionAttributeValues(p.values())
            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
            .build();
    return add(name, key, TransactWriteItem.builder().conditionCheck(check).build());
  }

  /** The update of the item {@code key}: the one already in this transaction, if any. */
  ItemUpdate update(String name, Map<String, AttributeValue> key) {
    Integer index = byKey.get(key);
    if (index != null) {
      if (!(actions.get(index) instanceof ItemUpdate existing)) {
        throw new IllegalStateException("the item " + key + " is already written otherwise");
      }
      byName.putIfAbsent(name, index);
      return existing;
    }
    ItemUpdate update = new ItemUpdate(key);
    add(name, key, update);
    return update;
  }

  /** The position of the action named {@code name}, or -1 when there is none. */
  int indexOf(String name) {
    return byName.getOrDefault(name, -1);
  }

  TransactWriteItemsRequest request(String clientRequestToken) {
    List<TransactWriteItem> items = new ArrayList<>(actions.size());
    for (Object action : actions) {
      items.add(
          action instanceof ItemUpdate update
              ? TransactWriteItem.builder().update(update.toUpdate(table)).build()
              : (TransactWriteItem) action);
    }
    return TransactWriteItemsRequest.builder()
        .transactItems(items)
        .clientRequestToken(clientRequestToken)
        .build();
  }

  private Transaction add(String name, Map<String, AttributeValue> key, Object action) {
    if (byName.containsKey(name)) {
      throw new IllegalStateException("two actions named " + name);
    }
    if (byKey.containsKey(key)) {
      throw new IllegalStateException("two actions on the item " + key);
    }
    byName.put(name, actions.size());
    byKey.put(Map.copyOf(key), actions.size());
    actions.add(action);
    return this;
  }
}
