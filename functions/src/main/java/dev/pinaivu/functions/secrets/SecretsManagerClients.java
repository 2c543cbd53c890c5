package dev.pinaivu.functions.secrets;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** Secrets Manager clients as {@link SecretsManagerSecrets} uses them: as the DynamoDB ones. */
public final class SecretsManagerClients {
  private SecretsManagerClients() {}

  /**
   * A client with the default credential chain (environment, instance role, ...).
   *
   * @param region null for the SDK's default (AWS_REGION, the instance's region)
   * @param endpoint null for the region's Secrets Manager; else a VPC endpoint or a test server
   */
  public static SecretsManagerClient create(String region, URI endpoint) {
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder()
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
