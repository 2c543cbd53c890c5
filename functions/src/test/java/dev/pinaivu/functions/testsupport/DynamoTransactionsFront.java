package dev.pinaivu.functions.testsupport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A test-only stand-in for DynamoDB with transactions, never an AWS endpoint: dynalite behind a
 * small Node front ({@code src/test/emulators/dynamo-front}) that runs every request one at a time
 * and adds what dynalite lacks: TransactWriteItems (all or nothing, with rollback and per-item
 * cancellation reasons), TransactGetItems, UpdateTimeToLive/DescribeTimeToLive (settings only: it
 * never deletes expired items) and the item in a single write's ConditionalCheckFailedException.
 * Everything else passes through to dynalite untouched. One Node process, on loopback, on a port
 * the system picks; it exits when this JVM does (its stdin closes). functions/README.md says what
 * only real DynamoDB verifies.
 */
public final class DynamoTransactionsFront implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("^DynamoDB transactions front listening at: (http://127\\.0\\.0\\.1:\\d+)");
  private static DynamoTransactionsFront shared;

  private final NodeProcess process;
  private final URI endpoint;
  private final DynamoDbClient client;

  private DynamoTransactionsFront(NodeProcess process) {
    this.process = process;
    this.endpoint = URI.create(process.ready().group(1));
    this.client = newClient();
  }

  /** The JVM's front, started on the first call; stopped when the JVM exits. */
  public static synchronized DynamoTransactionsFront shared() {
    if (shared == null) {
      shared = start(null);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "dynamo-front-stop"));
    }
    return shared;
  }

  /**
   * A front of the caller's own (its own dynalite, empty), which the caller closes.
   *
   * @param idempotencyWindow how long a ClientRequestToken is remembered; null for DynamoDB's 10
   *     minutes
   */
  public static DynamoTransactionsFront start(Duration idempotencyWindow) {
    List<String> arguments = new ArrayList<>(List.of(script().toString()));
    if (idempotencyWindow != null) {
      arguments.add("--idempotency-window-ms");
      arguments.add(Long.toString(idempotencyWindow.toMillis()));
    }
    return new DynamoTransactionsFront(NodeProcess.start("dynamo-front", arguments, READY));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client shared by the JVM's tests; do not close it. */
  public DynamoDbClient client() {
    return client;
  }

  /** A new client to this front (us-east-1, dummy credentials); the caller closes it. */
  public DynamoDbClient newClient() {
    return EmulatorClients.to(endpoint);
  }

  /** A table name no other test of this JVM uses. */
  public static String uniqueTableName(String prefix) {
    return Dynalite.uniqueTableName(prefix);
  }

  /** Creates an on-demand table keyed by one string attribute and waits until it is active. */
  public void createTable(String table, String hashKey) {
    createTable(table, List.of(hashKey));
  }

  /** Creates an on-demand table keyed by two string attributes and waits until it is active. */
  public void createTable(String table, String hashKey, String rangeKey) {
    createTable(table, List.of(hashKey, rangeKey));
  }

  private void createTable(String table, List<String> keys) {
    List<KeySchemaElement> schema = new ArrayList<>();
    List<AttributeDefinition> attributes = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      KeyType type = i == 0 ? KeyType.HASH : KeyType.RANGE;
      schema.add(KeySchemaElement.builder().attributeName(keys.get(i)).keyType(type).build());
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(keys.get(i))
              .attributeType(ScalarAttributeType.S)
              .build());
    }
    client.createTable(b ->
        b.tableName(table)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .keySchema(schema)
            .attributeDefinitions(attributes));
    // the default first poll comes after 20 s; dynalite is ready in milliseconds
    client
        .waiter()
        .waitUntilTableExists(
            b -> b.tableName(table),
            o ->
                o.backoffStrategyV2(
                    BackoffStrategy.exponentialDelayWithoutJitter(
                        Duration.ofMillis(20), Duration.ofSeconds(1))));
  }

  @Override
  public void close() {
    client.close();
    process.stop();
  }

  /** The front's main.js: {@code dynamo.front}, else beside the installed dynalite. */
  private static Path script() {
    String configured = System.getProperty("dynamo.front");
    Path script =
        configured != null
            ? Path.of(configured)
            // <emulators>/node_modules/dynalite/cli.js -> <emulators>/dynamo-front/main.js
            : Dynalite.cli().getParent().getParent().resolveSibling("dynamo-front/main.js");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(
          "the DynamoDB transactions front is not at "
              + script.toAbsolutePath()
              + "; `./mvnw -pl functions -am generate-test-resources` copies it there");
    }
    return script;
  }
}
