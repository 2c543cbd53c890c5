package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.s;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The requests TransactWriteItems refuses before writing anything, as the DynamoDB API reference
 * limits them: 1 to 100 actions, no two on one item, at most 4 MB of items, one operation each.
 */
class TransactWriteItemsValidationIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();
  // under dynalite's 400 KB item limit; 10 of them fit in 4 MB, 11 do not
  private static final String BIG_VALUE = "x".repeat(390 * 1024);

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("transact-validation");
    FRONT.createTable(table, PK);
  }

  @Test
  void transaction_withOneHundredActions_commits() {
    DYNAMO.transactWriteItems(b -> b.transactItems(puts(100)));

    assertThat(stored(DYNAMO, table, "item-99")).isNotNull();
  }

  @Test
  void transaction_withMoreThanOneHundredActions_isAValidationErrorAndWritesNothing() {
    // API reference: TransactItems is an array of up to 100 TransactWriteItem objects
    DynamoDbException refused = refused(puts(101));

    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("Member must have length less than or equal to 100");
    assertThat(stored(DYNAMO, table, "item-0")).isNull();
  }

  @Test
  void transaction_withNoActions_isAValidationError() {
    DynamoDbException refused = refused(List.of());

    assertThat(refused.awsErrorDetails().errorMessage())
        .contains("Member must have length greater than or equal to 1");
  }

  @Test
  void transaction_withTwoActionsOnOneItem_isAValidationErrorAndWritesNothing() {
    // API reference: no two actions can target the same item (not even ConditionCheck and Update)
    DynamoDbException refused =
        refused(
            List.of(
                put("other", "v"),
                put("same", "v"),
                TransactWriteItem.builder()
                    .conditionCheck(c ->
                        c.tableName(table)
                            .key(key("same"))
                            .conditionExpression("attribute_not_exists(pk)"))
                    .build()));

    assertThat(refused.awsErrorDetails().errorMessage())
        .isEqualTo("Transaction request cannot include multiple operations on one item");
    assertThat(stored(DYNAMO, table, "other")).isNull();
  }

  @Test
  void sameKey_inTwoTables_isTwoItems() {
    String other = DynamoTransactionsFront.uniqueTableName("transact-validation-other");
    FRONT.createTable(other, PK);

    DYNAMO.transactWriteItems(b ->
        b.transactItems(
            put("same", "v"),
            TransactWriteItem.builder().put(p -> p.tableName(other).item(item("same"))).build()));

    assertThat(stored(DYNAMO, other, "same")).isNotNull();
  }

  @Test
  void transaction_underFourMegabytes_commits() {
    DYNAMO.transactWriteItems(b -> b.transactItems(bigPuts(10)));

    assertThat(stored(DYNAMO, table, "item-9")).containsEntry("v", s(BIG_VALUE));
  }

  @Test
  void transaction_overFourMegabytes_isAValidationErrorAndWritesNothing() {
    // API reference: the aggregate size of the items in the transaction cannot exceed 4 MB
    DynamoDbException refused = refused(bigPuts(11));

    assertThat(refused.awsErrorDetails().errorMessage()).contains("4 MB");
    assertThat(stored(DYNAMO, table, "item-0")).isNull();
  }

  @Test
  void action_withTwoOperations_isAValidationError() {
    DynamoDbException refused =
        refused(
            List.of(
                TransactWriteItem.builder()
                    .put(p -> p.tableName(table).item(item("a")))
                    .delete(d -> d.tableName(table).key(key("b")))
                    .build()));

    assertThat(refused.awsErrorDetails().errorMessage())
        .isEqualTo("TransactItems can only contain one of Check, Put, Update or Delete");
  }

  @Test
  void action_onAMissingTable_isResourceNotFoundAndWritesNothing() {
    // API reference, errors: ResourceNotFoundException, the operation names a table that does not
    // exist
    assertThatThrownBy(() ->
            DYNAMO.transactWriteItems(b ->
                b.transactItems(
                    put("mine", "v"),
                    TransactWriteItem.builder()
                        .delete(d -> d.tableName("no-such-table").key(key("x")))
                        .build())))
        .isInstanceOf(ResourceNotFoundException.class);

    assertThat(stored(DYNAMO, table, "mine")).isNull();
  }

  @Test
  void action_whoseUpdateDynaliteRefuses_writesNothing() {
    // an update dynalite refuses (two SETs of one path) comes after a write: that write is undone
    DynamoDbException refused =
        refused(
            List.of(
                put("first", "v"),
                TransactWriteItem.builder()
                    .update(u ->
                        u.tableName(table)
                            .key(key("second"))
                            .updateExpression("SET a = :v, a = :v")
                            .expressionAttributeValues(Map.of(":v", s("v"))))
                    .build()));

    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(stored(DYNAMO, table, "first")).isNull();
  }

  private DynamoDbException refused(List<TransactWriteItem> actions) {
    DynamoDbException refused =
        catchThrowableOfType(
            DynamoDbException.class,
            () -> DYNAMO.transactWriteItems(b -> b.transactItems(actions)));
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(refused.statusCode()).isEqualTo(400);
    return refused;
  }

  private List<TransactWriteItem> puts(int count) {
    return IntStream.range(0, count).mapToObj(i -> put("item-" + i, "v")).toList();
  }

  private List<TransactWriteItem> bigPuts(int count) {
    List<TransactWriteItem> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(put("item-" + i, BIG_VALUE));
    }
    return puts;
  }

  private TransactWriteItem put(String pk, String value) {
    return TransactWriteItem.builder()
        .put(p -> p.tableName(table).item(item(pk, "v", s(value))))
        .build();
  }
}
