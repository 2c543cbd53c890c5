package dev.pinaivu.functions.store;

import dev.pinaivu.functions.AwsClients;
import java.net.URI;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB clients as the adapters use them: the small URL-connection HTTP client, SDK defaults.
 */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  /**
   * A client with the default credential chain (environment, instance role, ...).
   *
   * @param region null for the SDK's default (AWS_REGION, the instance's region)
   * @param endpoint null for the region's DynamoDB; else an emulator or a VPC endpoint
   */
  public static DynamoDbClient create(String region, URI endpoint) {
    return AwsClients.create(DynamoDbClient.builder(), region, endpoint);
  }
}
