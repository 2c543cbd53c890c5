package dev.pinaivu.functions;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** AWS clients as the adapters use them: the small URL-connection HTTP client, SDK defaults. */
public final class AwsClients {
  private AwsClients() {}

  /**
   * {@code builder}'s client with the default credential chain (environment, instance role, ...).
   *
   * @param region null for the SDK's default (AWS_REGION, the instance's region)
   * @param endpoint null for the region's service; else an emulator, a test server or a VPC
   *     endpoint
   */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C create(
      B builder, String region, URI endpoint) {
    builder
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
