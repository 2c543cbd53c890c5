package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.n;
import static dev.pinaivu.functions.testsupport.FrontItems.s;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * ReturnValuesOnConditionCheckFailure on single writes (DynamoDB API reference, PutItem /
 * UpdateItem / DeleteItem: with ALL_OLD, a failed condition returns the item's attributes in the
 * ConditionalCheckFailedException). dynalite ignores the parameter; the front answers it.
 */
class ConditionFailureItemIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();
  private static final ReturnValuesOnConditionCheckFailure ALL_OLD =
      ReturnValuesOnConditionCheckFailure.ALL_OLD;

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("condition-item");
    FRONT.createTable(table, PK);
    DYNAMO.putItem(b -> b.tableName(table).item(item("taken", "owner", s("someone"), "n", n(7))));
  }

  @Test
  void putItem_whoseConditionFails_returnsTheItemAsItIs() {
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                DYNAMO.putItem(b ->
                    b.tableName(table)
                        .item(item("taken", "owner", s("me")))
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ALL_OLD)));

    assertThat(failed.item()).isEqualTo(item("taken", "owner", s("someone"), "n", n(7)));
    assertThat(stored(DYNAMO, table, "taken")).containsEntry("owner", s("someone"));
  }

  @Test
  void updateItem_whoseConditionFails_returnsTheItemAsItIs() {
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                DYNAMO.updateItem(b ->
                    b.tableName(table)
                        .key(key("taken"))
                        .updateExpression("SET n = :eight")
                        .conditionExpression("n = :six")
                        .expressionAttributeValues(Map.of(":eight", n(8), ":six", n(6)))
                        .returnValuesOnConditionCheckFailure(ALL_OLD)));

    assertThat(failed.item()).containsEntry("n", n(7));
  }

  @Test
  void deleteItem_whoseConditionFails_returnsTheItemAsItIs() {
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                DYNAMO.deleteItem(b ->
                    b.tableName(table)
                        .key(key("taken"))
                        .conditionExpression("attribute_not_exists(n)")
                        .returnValuesOnConditionCheckFailure(ALL_OLD)));

    assertThat(failed.item()).containsEntry("owner", s("someone"));
    assertThat(stored(DYNAMO, table, "taken")).isNotNull();
  }

  @Test
  void failedCondition_withoutAllOld_returnsNoItem() {
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                DYNAMO.putItem(b ->
                    b.tableName(table)
                        .item(item("taken"))
                        .conditionExpression("attribute_not_exists(pk)")));

    assertThat(failed.hasItem()).isFalse();
    assertThat(failed.awsErrorDetails().errorMessage()).isEqualTo("The conditional request failed");
  }

  @Test
  void failedCondition_onAMissingItem_returnsNoItem() {
    ConditionalCheckFailedException failed =
        catchThrowableOfType(
            ConditionalCheckFailedException.class,
            () ->
                DYNAMO.updateItem(b ->
                    b.tableName(table)
                        .key(key("absent"))
                        .updateExpression("SET n = :one")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(Map.of(":one", n(1)))
                        .returnValuesOnConditionCheckFailure(ALL_OLD)));

    assertThat(failed.hasItem()).isFalse();
  }
}
