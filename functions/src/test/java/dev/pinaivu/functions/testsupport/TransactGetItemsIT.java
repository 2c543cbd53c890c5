package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.key;
import static dev.pinaivu.functions.testsupport.FrontItems.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

/** TransactGetItems through the front, as the DynamoDB API reference describes it. */
class TransactGetItemsIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("transact-get");
    FRONT.createTable(table, PK);
  }

  @Test
  void gets_answerInRequestOrder_withAnEmptyResponseForAMissingItem() {
    DYNAMO.putItem(b -> b.tableName(table).item(item("a", "v", s("1"))));
    DYNAMO.putItem(b -> b.tableName(table).item(item("c", "v", s("3"))));

    // API reference: Responses is an ordered array, one ItemResponse per requested item
    List<ItemResponse> responses =
        DYNAMO.transactGetItems(b -> b.transactItems(get("c"), get("b"), get("a"))).responses();

    assertThat(responses).hasSize(3);
    assertThat(responses.get(0).item()).isEqualTo(item("c", "v", s("3")));
    assertThat(responses.get(1).hasItem()).isFalse();
    assertThat(responses.get(2).item()).isEqualTo(item("a", "v", s("1")));
  }

  @Test
  void get_withAProjection_answersOnlyThoseAttributes() {
    DYNAMO.putItem(b -> b.tableName(table).item(item("a", "v", s("1"), "w", s("2"))));

    List<ItemResponse> responses =
        DYNAMO
            .transactGetItems(b ->
                b.transactItems(
                    TransactGetItem.builder()
                        .get(g -> g.tableName(table).key(key("a")).projectionExpression("w"))
                        .build()))
            .responses();

    assertThat(responses.get(0).item()).containsOnlyKeys("w");
  }

  @Test
  void moreThanOneHundredGets_isAValidationError() {
    // API reference: TransactItems is an array of up to 100 TransactGetItem objects
    List<TransactGetItem> gets = IntStream.range(0, 101).mapToObj(i -> get("item-" + i)).toList();

    DynamoDbException refused =
        catchThrowableOfType(
            DynamoDbException.class, () -> DYNAMO.transactGetItems(b -> b.transactItems(gets)));

    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
  }

  @Test
  void twoGetsOfOneItem_isAValidationError() {
    DynamoDbException refused =
        catchThrowableOfType(
            DynamoDbException.class,
            () -> DYNAMO.transactGetItems(b -> b.transactItems(get("a"), get("a"))));

    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(refused.awsErrorDetails().errorMessage())
        .isEqualTo("Transaction request cannot include multiple operations on one item");
  }

  private TransactGetItem get(String pk) {
    return TransactGetItem.builder().get(g -> g.tableName(table).key(key(pk))).build();
  }
}
