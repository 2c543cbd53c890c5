package dev.pinaivu.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

/**
 * The network's state table, {@code <prefix>network} (ADR 21): keys, money, receipts, owed
 * settlements, holds, rate windows, coordinator keys, the node registry, nodes' conduct and their
 * WebSocket connections. The schema is the one {@code NetworkTable.create} (functions) makes:
 * {@code pk}/{@code sk}, {@code gsi1} (INCLUDE the receipt figures usage sums), {@code gsi2} (keys
 * only), TTL on {@code ttl}; {@code StateTableTest} checks the two agree. It holds the ledger, so
 * it outlives the stack and cannot be deleted by accident.
 */
final class StateTable extends Construct {
  /** What gsi1 projects beside its keys: {@code ReceiptItems.FIGURES} in functions. */
  static final List<String> GSI1_INCLUDES =
      List.of("key", "model", "issued_ms", "prompt", "completion", "charged");

  private final Table table;

  StateTable(Construct scope, String id, String tableName) {
    super(scope, id);
    table =
        Table.Builder.create(this, "Table")
            .tableName(tableName)
            .partitionKey(attribute("pk", AttributeType.STRING))
            .sortKey(attribute("sk", AttributeType.STRING))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .timeToLiveAttribute("ttl")
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName("gsi1")
            .partitionKey(attribute("gsi1pk", AttributeType.STRING))
            .sortKey(attribute("gsi1sk", AttributeType.STRING))
            .projectionType(ProjectionType.INCLUDE)
            .nonKeyAttributes(GSI1_INCLUDES)
            .build());
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName("gsi2")
            .partitionKey(attribute("gsi2pk", AttributeType.STRING))
            .sortKey(attribute("gsi2sk", AttributeType.NUMBER))
            .projectionType(ProjectionType.KEYS_ONLY)
            .build());
  }

  Table table() {
    return table;
  }

  private static Attribute attribute(String name, AttributeType type) {
    return Attribute.builder().name(name).type(type).build();
  }
}
