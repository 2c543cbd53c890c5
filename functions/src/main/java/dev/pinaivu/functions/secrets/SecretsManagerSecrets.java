package dev.pinaivu.functions.secrets;

import dev.pinaivu.core.secrets.MissingSecretException;
import dev.pinaivu.core.secrets.Secrets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * {@link Secrets} on AWS Secrets Manager: secret {@code name} is {@code <prefix><name>} (the
 * deployment's, e.g. {@code pinaivu/prod/admin-token}), read once per process with {@code
 * GetSecretValue} and kept in memory, as a Lambda should (one call per cold start, not per
 * request). The deployment makes the secrets, so a missing one is an error naming it: this adapter
 * never creates one (its role may only read them).
 */
public final class SecretsManagerSecrets implements Secrets {
  private final SecretsManagerClient client;
  private final String prefix;
  private final Map<String, String> loaded = new ConcurrentHashMap<>();

  /** {@code prefix} ends with '/', as CDK names the stack's secrets. */
  public SecretsManagerSecrets(SecretsManagerClient client, String prefix) {
    if (!prefix.matches("[A-Za-z0-9/_+=.@-]*/")) {
      throw new IllegalArgumentException("a secret prefix ends with '/': " + prefix);
    }
    this.client = client;
    this.prefix = prefix;
  }

  /** {@code fresh} is never called: the deployment made the secret, or it is missing. */
  @Override
  public String secret(String name, Supplier<String> fresh) {
    Secrets.requireName(name);
    return loaded.computeIfAbsent(name, this::read);
  }

  @Override
  public String where(String name) {
    return "Secrets Manager secret " + prefix + Secrets.requireName(name);
  }

  private String read(String name) {
    String id = prefix + name;
    try {
      String value = client.getSecretValue(b -> b.secretId(id)).secretString();
      if (value == null || value.isBlank()) {
        throw new MissingSecretException("the secret " + id + " holds no text value");
      }
      return value.strip();
    } catch (ResourceNotFoundException e) {
      throw new MissingSecretException(
          "there is no secret " + id + " in Secrets Manager: the deployment makes it", e);
    } catch (SdkException e) {
      // the SDK's message names the secret and the error code, never the value
      throw new MissingSecretException("cannot read the secret " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SecretsManagerSecrets[" + prefix + "]";
  }
}
