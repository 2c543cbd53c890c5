package dev.pinaivu.cli;

import dev.pinaivu.functions.store.DynamoDbClients;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where the network's stores live: the data directory's SQLite file (the default), or a DynamoDB
 * table that several gateways share ({@code --store dynamodb}). Credentials come from the AWS SDK's
 * default chain (for an emulator, any pair in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 */
final class StoreOptions {
  enum Kind {
    sqlite,
    dynamodb
  }

  @Option(
      names = "--store",
      defaultValue = "sqlite",
      description =
          "Where keys, money, limits, receipts and owed settlements live: sqlite (the data"
              + " directory) or dynamodb (a table other gateways may share) (default:"
              + " ${DEFAULT-VALUE})")
  Kind store;

  @Option(
      names = "--table-prefix",
      paramLabel = "P",
      defaultValue = "pinaivu-",
      description = "With --store dynamodb: the table is P + network (default: ${DEFAULT-VALUE})")
  String tablePrefix;

  @Option(
      names = "--create-tables",
      description = "With --store dynamodb: make the table first, unless it exists")
  boolean createTables;

  @Option(
      names = "--aws-region",
      description =
          "With --store dynamodb or --log-table: the tables' region (default: the SDK's, e.g."
              + " AWS_REGION)")
  String awsRegion;

  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description =
          "With --store dynamodb or --log-table: another DynamoDB endpoint (an emulator, a VPC"
              + " endpoint)")
  URI dynamoEndpoint;

  boolean onDynamoDb() {
    return store == Kind.dynamodb;
  }

  /** A client for the options' endpoint and region; the network table made first if asked. */
  DynamoDbClient client() {
    DynamoDbClient client = DynamoDbClients.create(awsRegion, dynamoEndpoint);
    if (onDynamoDb() && createTables) {
      try {
        if (DynamoDbNetworkStores.createIfAbsent(client, tablePrefix)) {
          System.err.println("made table " + DynamoDbNetworkStores.networkTable(tablePrefix));
        }
      } catch (RuntimeException e) {
        client.close();
        throw e;
      }
    }
    return client;
  }

  /** Why these options do not fit together, or null. */
  String misuse(boolean logTable) {
    if (!onDynamoDb() && createTables) {
      return "--create-tables goes with --store dynamodb";
    }
    if (!onDynamoDb() && !logTable && (awsRegion != null || dynamoEndpoint != null)) {
      return "--aws-region and --dynamodb-endpoint go with --store dynamodb or --log-table";
    }
    return null;
  }
}
