package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public log routes over HTTP: no key needed, and bad parameters are OpenAI errors. */
class LogRoutesIT {
  @TempDir static Path dir;
  static GatewayServer gateway;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0).withLogCheckpointMs(20));
    for (int i = 0; i < 200 && get("/log/checkpoint").statusCode() != 200; i++) {
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void checkpoint_isTheSignedNote_ofTheCoordinatorsKeyAnnouncement() throws Exception {
    HttpResponse<String> r = get("/log/checkpoint");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    Checkpoint checkpoint = SignedCheckpoint.parseUnverified(r.body()).checkpoint();
    assertThat(checkpoint.treeSize()).isEqualTo(1);
    JsonNode entry = Json.parse(get("/log/entries/0").body());
    assertThat(entry.get("type").asText()).isEqualTo("coordinator_key");
    assertThat(entry.get("leaf_hash").asText()).isEqualTo(checkpoint.rootHash().base64());
  }

  @Test
  void proofs_withinTheSignedSize_areServed() throws Exception {
    JsonNode inclusion = Json.parse(get("/log/proof/inclusion?index=0").body());
    assertThat(inclusion.get("tree_size").asLong()).isEqualTo(1);
    assertThat(inclusion.get("inclusion_path")).isEmpty();
    JsonNode consistency = Json.parse(get("/log/proof/consistency?first=0&second=1").body());
    assertThat(consistency.get("consistency_path")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/log/proof/inclusion                        | 400 | index",
        "/log/proof/inclusion?index=x                | 400 | index",
        "/log/proof/inclusion?index=-1               | 400 | index",
        "/log/proof/inclusion?index=1                | 400 | index",
        "/log/proof/inclusion?index=0&tree_size=9    | 400 | tree_size",
        "/log/proof/consistency?first=2              | 400 | first",
        "/log/proof/consistency?first=0&second=7     | 400 | second",
        "/log/proof/consistency?second=1             | 400 | first",
        "/log/entries/5                              | 404 | ",
        "/log/entries/abc                            | 400 | index",
      })
  void badOrOutOfRangeParameters_areOpenAiErrors(String path, int status, String param)
      throws Exception {
    HttpResponse<String> r = get(path);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = Json.parse(r.body()).get("error");
    assertThat(error.get("message").asText()).isNotBlank();
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }
}
