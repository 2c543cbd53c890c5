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
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The transparency log's leaves (ADR 10), written by the gateway's log sync on the parent instance;
 * the enclave never touches it. The schema is the DynamoDB adapter's: items by {@code pk} and leaf
 * index {@code sk}; {@code by_leaf_hash} finds a leaf by its hash. The log is evidence, so the
 * table outlives the stack and cannot be deleted by accident.
 */
final class LogTable extends Construct {

  static final String BY_LEAF_HASH = "by_leaf_hash";

  /** What the gateway's DynamoDbLogStore calls: it never scans, deletes or batches. */
  static final List<String> LOG_STORE_ACTIONS =
      List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query");

  /** What a reader of the log calls (the serverless log and receipt functions). */
  static final List<String> LOG_STORE_READ_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:Query");

  private final Table table;

  LogTable(Construct scope, String id) {
    super(scope, id);
    table =
        Table.Builder.create(this, "Table")
            .partitionKey(attribute("pk", AttributeType.STRING))
            .sortKey(attribute("sk", AttributeType.NUMBER))
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .deletionProtection(true)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    table.addGlobalSecondaryIndex(
        GlobalSecondaryIndexProps.builder()
            .indexName(BY_LEAF_HASH)
            .partitionKey(attribute("leaf_hash_key", AttributeType.STRING))
            .sortKey(attribute("sk", AttributeType.NUMBER))
            .projectionType(ProjectionType.KEYS_ONLY)
            .build());
  }

  /**
   * Lets {@code grantee} keep the log's leaves: {@link #LOG_STORE_ACTIONS} on the table and on
   * {@code by_leaf_hash}, the one index it queries (grantReadWriteData would add scans, deletes and
   * every index).
   */
  void grantLogStore(IGrantable grantee) {
    grantee
        .getGrantPrincipal()
        .addToPrincipalPolicy(
            PolicyStatement.Builder.create()
                .actions(LOG_STORE_ACTIONS)
                .resources(
                    List.of(table.getTableArn(), table.getTableArn() + "/index/" + BY_LEAF_HASH))
                .build());
  }

  Table table() {
    return table;
  }

  private static Attribute attribute(String name, AttributeType type) {
    return Attribute.builder().name(name).type(type).build();
  }
}
