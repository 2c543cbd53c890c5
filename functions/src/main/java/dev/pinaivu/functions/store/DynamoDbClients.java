package dev.pinaivu.functions.store;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

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
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .credentialsProvider(DefaultCredentialsProvider.builder().build());
    if (region != null) {
      builder.region(Region.of(region));
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
