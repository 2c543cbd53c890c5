package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.observability.AccessLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log over real HTTP: one JSON line per request, carrying the request id the client got,
 * and none of the secrets or content the requests carried. It reads the log where the gateway's
 * SLF4J backend in tests (slf4j-simple) writes it: standard error.
 */
class AccessLogIT {
  private static final String PROMPT = "prompt-text-that-must-never-be-logged";
  @TempDir Path dir;
  private GatewayServer gateway;
  private FakeNode node;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0));
    node = FakeNode.connect(gateway.nodeUrl(), "m");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (gateway.liveNodes() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the offer is sent; the gateway registers it on its own thread
    }
  }

  @AfterEach
  void stop() {
    if (originalErr != null) {
      System.setErr(originalErr);
    }
    node.close();
    gateway.close();
  }

  @Test
  void everyRequest_writesOneLine_withItsRequestId_andNoSecret() throws Exception {
    String key = gateway.devKey().reveal();
    String admin = Files.readString(gateway.adminTokenFile()).strip();
    String wrongKey = "sk-pnv-" + "s3cr3t".repeat(8);
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));

    List<HttpResponse<String>> responses = new ArrayList<>();
    responses.add(chat("Bearer " + key, false));
    assertThat(responses.getFirst().statusCode()).isEqualTo(200);
    responses.add(chat("Bearer " + key, true));
    responses.add(chat("Bearer " + wrongKey, false));
    responses.add(send("GET", "/v1/models", "Bearer " + key));
    responses.add(send("GET", "/admin/v1/keys", "Bearer " + admin));
    responses.add(send("GET", "/v1/usage?start_time=0&secret=" + wrongKey, "Bearer " + key));
    responses.add(send("GET", "/nothing/here", null));
    System.setErr(originalErr);
    originalErr = null;

    List<JsonNode> lines = accessLines();
    assertThat(lines).hasSize(responses.size());
    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> r = responses.get(i);
      JsonNode line = lines.get(i);
      assertThat(line.get("request_id").asText())
          .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
      assertThat(line.get("status").asInt()).isEqualTo(r.statusCode());
      assertThat(line.get("method").asText()).isEqualTo(r.request().method());
    }
    JsonNode served = lines.get(0);
    assertThat(served.get("route").asText()).isEqualTo("/v1/chat/completions");
    assertThat(served.get("model").asText()).isEqualTo("m");
    assertThat(served.get("stream").asBoolean()).isFalse();
    assertThat(served.get("key_id").asText()).startsWith("key_");
    assertThat(served.get("node_id").asText()).isEqualTo(node.id().value());
    assertThat(served.get("attempts").asInt()).isEqualTo(1);
    assertThat(served.get("ttft_ms").asDouble()).isPositive();
    assertThat(served.get("duration_ms").asDouble())
        .isGreaterThanOrEqualTo(served.get("ttft_ms").asDouble());
    assertThat(lines.get(1).get("stream").asBoolean()).isTrue();
    assertThat(lines.get(2).get("key_id").isNull()).as("an unknown key has no id").isTrue();
    assertThat(lines.get(5).get("route").asText()).isEqualTo("/v1/usage");
    assertThat(lines.get(6).get("route").asText()).isEqualTo("unmatched");

    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .doesNotContain(key)
        .doesNotContain(wrongKey)
        .doesNotContain(admin)
        .doesNotContain("Bearer")
        .doesNotContain(PROMPT);
  }

  /** The JSON objects of the access log's lines, in order. */
  private List<JsonNode> accessLines() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String marker = AccessLog.LOGGER + " - ";
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      int at = line.indexOf(marker);
      if (at >= 0) {
        out.add(Json.parse(line.substring(at + marker.length())));
      }
    }
    return out;
  }

  private HttpResponse<String> chat(String auth, boolean stream) throws Exception {
    String body =
        "{\"model\":\"m\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + PROMPT
            + "\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String auth) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl().replace("/v1", "") + path));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(
        b.method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
