package dev.pinaivu.functions.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.usage.StoredReceipt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The table as {@link NetworkTable#create} makes it: its indexes, their projections, its TTL. */
class NetworkTableIT {
  @Test
  void create_makesTheIndexes_withGsi1CarryingOnlyTheReceiptFigures_andTtlOnTtl() {
    String table = FrontTables.create("shape");

    TableDescription description =
        FrontTables.DYNAMO.describeTable(b -> b.tableName(table)).table();

    assertThat(description.globalSecondaryIndexes())
        .anySatisfy(g -> {
          assertThat(g.indexName()).isEqualTo("gsi1");
          assertThat(g.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
          assertThat(g.projection().nonKeyAttributes())
              .containsExactlyInAnyOrder(
                  "key", "model", "issued_ms", "prompt", "completion", "charged");
        })
        .anySatisfy(g -> assertThat(g.indexName()).isEqualTo("gsi2"));
    assertThat(
            FrontTables.DYNAMO.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription())
        .satisfies(t -> {
          assertThat(t.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
          assertThat(t.attributeName()).isEqualTo("ttl");
        });
  }

  @Test
  void usage_readsTheIndex_whichHoldsNoSignedReceipt() {
    String table = FrontTables.create("shape");
    StoredReceipt receipt =
        new StoredReceipt(
            RequestId.next(),
            "acct_1",
            "key_1",
            "m",
            "node_x",
            "completed",
            1_000,
            1,
            2,
            3,
            "{\"signed\":\"a receipt of 4 KB\"}");
    new DynamoDbReceiptStore(FrontTables.DYNAMO, table).save(receipt);

    List<Map<String, AttributeValue>> indexed =
        FrontTables.DYNAMO
            .query(b ->
                b.tableName(table)
                    .indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("ACCT#acct_1"))))
            .items();

    assertThat(indexed)
        .singleElement()
        .satisfies(item ->
            assertThat(item)
                .containsKeys(
                    "pk", "sk", "gsi1pk", "gsi1sk", "key", "model", "issued_ms", "charged")
                .doesNotContainKeys("signed", "node", "outcome", "account"));
  }
}
