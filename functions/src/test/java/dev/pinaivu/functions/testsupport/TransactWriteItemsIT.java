package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.n;
import static dev.pinaivu.functions.testsupport.FrontItems.s;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * TransactWriteItems through the front, pinned to the DynamoDB API reference (TransactWriteItems,
 * TransactionCanceledException, CancellationReason).
 */
class TransactWriteItemsIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("transact-write");
    FRONT.createTable(table, PK);
  }

  @Test
  void transaction_whenEveryConditionHolds_appliesEveryAction() {
    put(item("counter", "n", n(1)));
    put(item("gone"));
    put(item("checked", "state", s("open")));

    // API reference: the actions are completed atomically, all of them succeed
    DYNAMO.transactWriteItems(b ->
        b.transactItems(
            newItem("fresh"),
            addOne("counter"),
            TransactWriteItem.builder().delete(d -> d.tableName(table).key(key("gone"))).build(),
            conditionCheck("checked", "#state = :open", Map.of(":open", s("open")))));

    assertThat(stored(DYNAMO, table, "fresh")).isEqualTo(item("fresh", "v", s("new")));
    assertThat(stored(DYNAMO, table, "counter")).containsEntry("n", n(2));
    assertThat(stored(DYNAMO, table, "gone")).isNull();
    assertThat(stored(DYNAMO, table, "checked")).isEqualTo(item("checked", "state", s("open")));
  }

  @Test
  void transaction_whenALaterConditionFails_rollsBackEveryEarlierWriteAndSaysWhichFailed() {
    put(item("counter", "n", n(1)));
    put(item("gone", "v", s("kept")));
    put(item("taken", "owner", s("someone")));

    TransactionCanceledException cancelled =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                DYNAMO.transactWriteItems(b ->
                    b.transactItems(
                        newItem("fresh"),
                        addOne("counter"),
                        TransactWriteItem.builder()
                            .delete(d -> d.tableName(table).key(key("gone")))
                            .build(),
                        newItem("taken"))));

    // API reference: either all of them succeed or all of them fail; nothing earlier stays written
    assertThat(stored(DYNAMO, table, "fresh")).isNull();
    assertThat(stored(DYNAMO, table, "counter")).isEqualTo(item("counter", "n", n(1)));
    assertThat(stored(DYNAMO, table, "gone")).isEqualTo(item("gone", "v", s("kept")));
    assertThat(stored(DYNAMO, table, "taken")).isEqualTo(item("taken", "owner", s("someone")));
    // CancellationReasons: one per action, in request order; None where nothing failed
    assertThat(codes(cancelled)).containsExactly("None", "None", "None", "ConditionalCheckFailed");
    assertThat(cancelled.cancellationReasons().get(3).message())
        .isEqualTo("The conditional request failed");
    assertThat(cancelled.awsErrorDetails().errorMessage())
        .isEqualTo(
            "Transaction cancelled, please refer cancellation reasons for specific reasons"
                + " [None, None, None, ConditionalCheckFailed]");
    assertThat(cancelled.statusCode()).isEqualTo(400);
  }

  @Test
  void transaction_whenTwoConditionsFail_reportsBothAndWritesNothing() {
    put(item("first", "v", s("old")));
    put(item("third", "v", s("old")));

    TransactionCanceledException cancelled =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                DYNAMO.transactWriteItems(
                    b -> b.transactItems(newItem("first"), newItem("second"), newItem("third"))));

    // every action's reason is reported, not only the first failure's
    assertThat(codes(cancelled))
        .containsExactly("ConditionalCheckFailed", "None", "ConditionalCheckFailed");
    assertThat(stored(DYNAMO, table, "second")).isNull();
  }

  @Test
  void conditionCheck_whenItFails_cancelsTheWritesBesideIt() {
    put(item("checked", "state", s("closed")));

    TransactionCanceledException cancelled =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                DYNAMO.transactWriteItems(b ->
                    b.transactItems(
                        newItem("fresh"),
                        conditionCheck("checked", "#state = :open", Map.of(":open", s("open"))))));

    assertThat(codes(cancelled)).containsExactly("None", "ConditionalCheckFailed");
    assertThat(stored(DYNAMO, table, "fresh")).isNull();
    assertThat(stored(DYNAMO, table, "checked")).isEqualTo(item("checked", "state", s("closed")));
  }

  @Test
  void conditionCheck_onAMissingItem_leavesNoItemBehind() {
    // API reference: ConditionCheck applies a condition to an item that is not being modified
    DYNAMO.transactWriteItems(b ->
        b.transactItems(
            newItem("fresh"),
            TransactWriteItem.builder()
                .conditionCheck(c ->
                    c.tableName(table)
                        .key(key("absent"))
                        .conditionExpression("attribute_not_exists(pk)"))
                .build()));

    assertThat(stored(DYNAMO, table, "fresh")).isNotNull();
    assertThat(stored(DYNAMO, table, "absent")).isNull();
  }

  @Test
  void failedAction_withReturnValuesOnConditionCheckFailure_carriesTheItemInItsReason() {
    put(item("taken", "owner", s("someone")));

    TransactionCanceledException cancelled =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () ->
                DYNAMO.transactWriteItems(b ->
                    b.transactItems(
                        newItem("fresh"),
                        TransactWriteItem.builder()
                            .put(p ->
                                p.tableName(table)
                                    .item(item("taken", "owner", s("me")))
                                    .conditionExpression("attribute_not_exists(pk)")
                                    .returnValuesOnConditionCheckFailure(
                                        ReturnValuesOnConditionCheckFailure.ALL_OLD))
                            .build())));

    // CancellationReason.Item: the item as it was, for an action that asked for ALL_OLD
    List<CancellationReason> reasons = cancelled.cancellationReasons();
    assertThat(reasons.get(1).item()).isEqualTo(item("taken", "owner", s("someone")));
    assertThat(reasons.get(0).hasItem()).isFalse();
  }

  @Test
  void failedAction_withoutReturnValuesOnConditionCheckFailure_carriesNoItem() {
    put(item("taken", "owner", s("someone")));

    TransactionCanceledException cancelled =
        catchThrowableOfType(
            TransactionCanceledException.class,
            () -> DYNAMO.transactWriteItems(b -> b.transactItems(newItem("taken"))));

    assertThat(cancelled.cancellationReasons().get(0).hasItem()).isFalse();
  }

  @Test
  void actions_onSeveralTables_commitTogether() {
    String other = DynamoTransactionsFront.uniqueTableName("transact-write-other");
    FRONT.createTable(other, PK);

    // API reference: the actions can target items in different tables
    DYNAMO.transactWriteItems(b ->
        b.transactItems(
            newItem("here"),
            TransactWriteItem.builder().put(p -> p.tableName(other).item(item("there"))).build()));

    assertThat(stored(DYNAMO, table, "here")).isNotNull();
    assertThat(stored(DYNAMO, other, "there")).isNotNull();
  }

  private void put(Map<String, AttributeValue> item) {
    DYNAMO.putItem(b -> b.tableName(table).item(item));
  }

  private TransactWriteItem newItem(String pk) {
    return TransactWriteItem.builder()
        .put(p ->
            p.tableName(table)
                .item(item(pk, "v", s("new")))
                .conditionExpression("attribute_not_exists(pk)"))
        .build();
  }

  private TransactWriteItem addOne(String pk) {
    return TransactWriteItem.builder()
        .update(u ->
            u.tableName(table)
                .key(key(pk))
                .updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", n(1))))
        .build();
  }

  private TransactWriteItem conditionCheck(
      String pk, String condition, Map<String, AttributeValue> values) {
    return TransactWriteItem.builder()
        .conditionCheck(c ->
            c.tableName(table)
                .key(key(pk))
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(values))
        .build();
  }

  static List<String> codes(TransactionCanceledException cancelled) {
    return cancelled.cancellationReasons().stream().map(CancellationReason::code).toList();
  }
}
