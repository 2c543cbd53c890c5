package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.agent.AgentConfig;
import dev.pinaivu.agent.CoordinatorTrust;
import dev.pinaivu.agent.NodeAgent;
import dev.pinaivu.agent.backend.DemoBackend;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} on its own listener, scraped before and after a known set of requests served by
 * a real node agent (in this JVM, demo backend): each counter moved by exactly what was sent, the
 * gauges show the settled receipts, and the listener admits only the metrics token.
 */
class MetricsIT {
  private static final String CHAT = "/v1/chat/completions";
  private static final String MODEL = DemoBackend.MODEL;
  @TempDir Path dir;
  private GatewayServer gateway;
  private NodeAgent node;
  private String metricsUrl;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0).withHeartbeatMs(1000));
    InetSocketAddress metrics = gateway.serveMetrics("127.0.0.1", 0);
    metricsUrl = "http://127.0.0.1:" + metrics.getPort() + "/metrics";
    token = Files.readString(gateway.metricsTokenFile()).strip();
    node =
        new NodeAgent(
            new AgentConfig(
                AgentConfig.nodeUrlFor(gateway.baseUrl()),
                TokenPrice.FREE,
                8,
                Duration.ofSeconds(30),
                new CoordinatorTrust(true, null)),
            NodeKey.generate(),
            new DemoBackend(Duration.ZERO, Duration.ZERO));
    node.start();
    assertThat(node.awaitWelcome(10, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (gateway.liveNodes() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // the offer is sent; the gateway registers it on its own thread
    }
  }

  @AfterEach
  void stop() {
    node.close();
    gateway.close();
  }

  @Test
  void counters_moveByExactlyTheRequestsSent() throws Exception {
    Map<String, Double> before = scrape();

    for (int i = 0; i < 3; i++) {
      assertThat(chat("Bearer " + key(), MODEL, false)).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(chat("Bearer " + key(), MODEL, true)).isEqualTo(200);
    }
    assertThat(chat("Bearer sk-pnv-wrong", MODEL, false)).isEqualTo(401);
    assertThat(chat("Bearer " + key(), "nobody-serves-this", false)).isEqualTo(503);
    assertThat(get(gateway.baseUrl() + "/models", "Bearer " + key()).statusCode()).isEqualTo(200);
    refusedNodeConnection();
    Map<String, Double> after = awaitSettled(before, 5);

    Delta d = new Delta(before, after);
    assertThat(
            d.of(series("pinaivu_requests_total", "model", MODEL, "route", CHAT, "status", "200")))
        .isEqualTo(5);
    assertThat(
            d.of(series("pinaivu_requests_total", "model", "none", "route", CHAT, "status", "401")))
        .isEqualTo(1);
    assertThat(
            d.of(
                series("pinaivu_requests_total", "model", "other", "route", CHAT, "status", "503")))
        .as("a model no node serves gets no label of its own")
        .isEqualTo(1);
    assertThat(
            d.of(
                series(
                    "pinaivu_requests_total",
                    "model",
                    "none",
                    "route",
                    "/v1/models",
                    "status",
                    "200")))
        .isEqualTo(1);
    assertThat(
            d.of(series("pinaivu_request_duration_seconds_count", "model", MODEL, "route", CHAT)))
        .isEqualTo(5);
    assertThat(
            d.of(
                series(
                    "pinaivu_time_to_first_token_seconds_count",
                    "model",
                    MODEL,
                    "stream",
                    "false")))
        .isEqualTo(3);
    assertThat(
            d.of(
                series(
                    "pinaivu_node_jobs_total",
                    "node",
                    node.nodeId().value(),
                    "outcome",
                    "success")))
        .isEqualTo(5);
    assertThat(d.of(series("pinaivu_node_admissions_refused_total", "reason", "auth_required")))
        .isEqualTo(1);
    assertThat(after.get("pinaivu_nodes_live")).isEqualTo(1);
    assertThat(after.get("pinaivu_settlements_pending")).isZero();
    assertThat(d.of("pinaivu_transparency_log_size"))
        .as("one receipt per request served")
        .isEqualTo(5);
    assertThat(after).containsKey("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}");
  }

  @Test
  void theMetricsListener_admitsOnlyTheMetricsToken() throws Exception {
    String admin = Files.readString(gateway.adminTokenFile()).strip();

    assertThat(get(metricsUrl, null).statusCode()).isEqualTo(401);
    assertThat(get(metricsUrl, "Bearer " + admin).statusCode()).isEqualTo(401);
    assertThat(get(metricsUrl, "Bearer " + key()).statusCode()).isEqualTo(401);
    assertThat(get(metricsUrl, "Bearer " + token + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = get(metricsUrl, "Bearer " + token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(get(metricsUrl.replace("/metrics", "/other"), "Bearer " + token).statusCode())
        .isEqualTo(404);
    assertThat(get(gateway.baseUrl().replace("/v1", "/metrics"), "Bearer " + token).statusCode())
        .as("not on the API's port")
        .isEqualTo(404);
    assertThat(Files.getPosixFilePermissions(gateway.metricsTokenFile()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  private String key() {
    return gateway.devKey().reveal();
  }

  private int chat(String auth, String model, boolean stream) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private HttpResponse<String> get(String url, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A node connection whose first frame is not its auth: refused with auth_required. */
  private void refusedNodeConnection() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    http.newWebSocketBuilder()
        .buildAsync(
            URI.create(gateway.nodeUrl()),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                ws.sendText(FrameCodec.encode(new Frame.Heartbeat(0, 0)), true);
                ws.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(null);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    closed.get(10, TimeUnit.SECONDS);
  }

  /** Scrapes until the log grew by {@code receipts} (settlement runs after the answer). */
  private Map<String, Double> awaitSettled(Map<String, Double> before, int receipts)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      Map<String, Double> now = scrape();
      boolean settled =
          now.get("pinaivu_transparency_log_size")
                  >= before.get("pinaivu_transparency_log_size") + receipts
              && now.get("pinaivu_settlements_pending") == 0;
      if (settled || System.nanoTime() > deadline) {
        return now;
      }
      Thread.sleep(50);
    }
  }

  /** Every sample of a scrape, by its series ({@code name{labels}}). */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> r = get(metricsUrl, "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** {@code name{k="v",...}} with the labels in the sorted order the registry writes them. */
  private static String series(String name, String... labels) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      sorted.put(labels[i], labels[i + 1]);
    }
    StringBuilder s = new StringBuilder(name).append('{');
    sorted.forEach((k, v) -> s.append(k).append("=\"").append(v).append("\","));
    s.setLength(s.length() - 1);
    return s.append('}').toString();
  }

  private record Delta(Map<String, Double> before, Map<String, Double> after) {
    double of(String series) {
      assertThat(after).as("scraped series").containsKey(series);
      return after.get(series) - before.getOrDefault(series, 0.0);
    }
  }
}
