package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the data directory of a running gateway: what it does is seen at once. */
class KeysCommandIT {
  @TempDir Path dir;

  private static int status(GatewayServer gateway, String key, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void keyCreatedAndRevokedByTheCli_worksAndThenIs401AtOnce() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0))) {
      CliRun created = CliRun.of("keys", "create", "--name", "live", "--data-dir", dir.toString());
      String key = created.firstLine();
      String id = created.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];

      assertThat(status(gateway, key, "/chat/completions")).isEqualTo(503); // admitted, no node

      assertThat(CliRun.of("keys", "revoke", id, "--data-dir", dir.toString()).exit()).isZero();

      assertThat(status(gateway, key, "/chat/completions")).isEqualTo(401);
    }
  }

  @Test
  void creditAddedByTheCli_isUsableAtOnce() throws Exception {
    try (GatewayServer gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0))) {
      String key =
          CliRun.of(
                  "keys",
                  "create",
                  "--name",
                  "team",
                  "--account",
                  "acct_team",
                  "--data-dir",
                  dir.toString())
              .firstLine();
      assertThat(status(gateway, key, "/chat/completions")).isEqualTo(429);

      CliRun credit =
          CliRun.of(
              "accounts",
              "credit",
              "--account",
              "acct_team",
              "--amount",
              "1",
              "--data-dir",
              dir.toString());

      assertThat(credit.exit()).isZero();
      assertThat(status(gateway, key, "/chat/completions")).isEqualTo(503);
      assertThat(
              CliRun.of(
                      "accounts", "balance", "--account", "acct_dev", "--data-dir", dir.toString())
                  .out())
          .contains("$10");
    }
  }
}
