package dev.pinaivu.functions.secrets;

import dev.pinaivu.functions.AwsClients;
import java.net.URI;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets Manager clients as {@link SecretsManagerSecrets} uses them ({@link AwsClients}). */
public final class SecretsManagerClients {
  private SecretsManagerClients() {}

  /** See {@link AwsClients#create}. */
  public static SecretsManagerClient create(String region, URI endpoint) {
    return AwsClients.create(SecretsManagerClient.builder(), region, endpoint);
  }
}
