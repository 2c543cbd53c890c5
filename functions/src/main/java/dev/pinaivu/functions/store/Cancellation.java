package dev.pinaivu.functions.store;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/**
 * A transaction DynamoDB cancelled because conditions failed: which of its named actions failed,
 * and each such item as it was ({@code ReturnValuesOnConditionCheckFailure ALL_OLD}). Nothing of
 * the transaction was written.
 */
final class Cancellation {
  static final String CONDITION_FAILED = "ConditionalCheckFailed";

  private final Transaction transaction;
  private final List<CancellationReason> reasons;

  Cancellation(Transaction transaction, List<CancellationReason> reasons) {
    this.transaction = transaction;
    this.reasons = List.copyOf(reasons);
  }

  /** True when the action named {@code name} is in the transaction and its condition failed. */
  boolean failed(String name) {
    int index = transaction.indexOf(name);
    return index >= 0
        && index < reasons.size()
        && CONDITION_FAILED.equals(reasons.get(index).code());
  }

  /** The item of a failed action as it was; empty when it did not exist. */
  Map<String, AttributeValue> item(String name) {
    int index = transaction.indexOf(name);
    if (index < 0 || index >= reasons.size() || !reasons.get(index).hasItem()) {
      return Map.of();
    }
    return reasons.get(index).item();
  }

  @Override
  public String toString() {
    return reasons.stream().map(CancellationReason::code).toList().toString();
  }
}
