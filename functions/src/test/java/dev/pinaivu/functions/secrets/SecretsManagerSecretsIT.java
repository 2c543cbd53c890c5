package dev.pinaivu.functions.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.receipt.AccountSecrets;
import dev.pinaivu.core.secrets.MissingSecretException;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.secrets.SecretsContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Secrets Manager adapter through the real SDK client against {@link SecretsManagerTestServer}
 * on loopback: the contract, then what a Lambda relies on (one read per process, errors that name
 * the secret and never carry a value).
 */
class SecretsManagerSecretsIT extends SecretsContract {
  private static final String PREFIX = "pinaivu/test/";
  private static SecretsManagerTestServer server;

  @BeforeAll
  static void start() throws IOException {
    server = new SecretsManagerTestServer();
    server.put(PREFIX + "admin-token", KNOWN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected Secrets newSecrets() {
    return new SecretsManagerSecrets(server.client(), PREFIX);
  }

  @Override
  protected Secrets reopened() {
    return newSecrets();
  }

  @Override
  protected boolean makesSecrets() {
    return false;
  }

  @Test
  void aSecret_isReadOncePerProcess() {
    server.put("pinaivu/once/admin-token", KNOWN);
    Secrets secrets = new SecretsManagerSecrets(server.client(), "pinaivu/once/");
    for (int i = 0; i < 5; i++) {
      secrets.secret("admin-token", () -> "unused");
    }
    assertThat(server.requested()).containsOnlyOnce("pinaivu/once/admin-token");
  }

  @Test
  void aSecretTheRoleMayNotRead_failsNamingIt() {
    server.put("pinaivu/denied/admin-token", KNOWN);
    server.deny("pinaivu/denied/admin-token");
    Secrets secrets = new SecretsManagerSecrets(server.client(), "pinaivu/denied/");

    assertThatThrownBy(() -> secrets.secret("admin-token", () -> "unused"))
        .isInstanceOf(MissingSecretException.class)
        .hasMessageContaining("pinaivu/denied/admin-token")
        .hasMessageNotContaining(KNOWN);
  }

  @Test
  void theAccountRefSecret_asTheDeploymentGeneratesIt_keysReceiptReferences() {
    // CDK generates 64 characters from 0-9a-f (every other character excluded)
    server.put("pinaivu/acct/account-ref-secret", "0f".repeat(32));
    AccountSecrets accounts =
        AccountSecrets.from(new SecretsManagerSecrets(server.client(), "pinaivu/acct/"));

    assertThat(accounts.apply("acct_1")).hasSize(32).isNotEqualTo(accounts.apply("acct_2"));
  }

  @Test
  void aPrefixWithoutItsSlash_isRefused() {
    assertThatThrownBy(() -> new SecretsManagerSecrets(server.client(), "pinaivu"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
