package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.connections.ClientLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no honest SDK sends: broken framing, a body shorter than announced or too large, a
 * method-override header, and requests beyond every node's capacity. Each gets a 4xx or 503 in the
 * OpenAI error shape, quickly, and changes nothing it should not. One gateway with a body deadline
 * of 1 s and one fake node of capacity 1 serving {@code m}.
 */
class HostileRequestsIT {
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static GatewayServer gateway;
  static FakeNode node;
  static String key;
  static String admin;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    gateway =
        GatewayServer.start(
            GatewayConfig.defaults(dir, 0)
                .withHeartbeatMs(60_000)
                .withClientLimits(
                    ClientLimits.DEFAULTS.withTimeouts(
                        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30))));
    node = FakeNode.connect(HttpClient.newHttpClient(), gateway.nodeUrl(), 1, "m");
    assertThat(Sockets.await(() -> gateway.liveNodes() == 1, Duration.ofSeconds(5))).isTrue();
    key = gateway.devKey().reveal();
    admin = Files.readString(dir.resolve(AdminToken.FILE)).strip();
  }

  @AfterAll
  static void stop() {
    node.close();
    gateway.close();
  }

  /** Status line, headers and body of the first response on a raw connection. */
  record Raw(int status, String head, String body) {
    JsonNode error() throws IOException {
      assertThat(head.toLowerCase()).as(head).contains("content-type: application/json");
      JsonNode error = Json.parse(body).get("error");
      assertThat(error).as(body).isNotNull();
      assertThat(error.get("message").asText()).isNotBlank();
      assertThat(error.get("type").asText()).isNotBlank();
      assertThat(error.has("param")).isTrue();
      assertThat(error.get("code").asText()).isNotBlank();
      return error;
    }
  }

  /** Sends {@code request} as bytes (half-closing after it if asked) and reads one response. */
  static Raw raw(String request, boolean halfClose) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout((int) QUICKLY.toMillis());
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      if (halfClose) {
        s.shutdownOutput();
      }
      return response(s.getInputStream());
    }
  }

  private static Raw response(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before a response: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Raw(Integer.parseInt(text.split(" ")[1]), text, body);
  }

  private static String post(String headers, String body) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + key
        + "\r\nContent-Type: application/json\r\n"
        + headers
        + "\r\n"
        + body;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no request line            | 400",
        "request line without URI   | 400",
        "URI of 20 kB               | 414",
        "header of 20 kB            | 431",
        "control byte in a header   | 400",
        "HTTP/9.9                   | 400",
        "no Host                    | 400",
        "malformed chunk size       | 400",
        "chunk size beyond 64 bits  | 400",
        "Content-Length: abc        | 400",
        "two Content-Lengths        | 400",
        "Transfer-Encoding: gzip    | 400",
        "chunked and Content-Length | 400",
        "body cut short, then FIN   | 400",
        "body cut short, then quiet | 408",
      })
  void brokenFraming_isAJson4xx_quickly(String what, int status) throws Exception {
    String big = "x".repeat(20_000);
    String request =
        switch (what) {
          case "no request line" -> "\r\n\r\n\r\nGARBAGE\r\n\r\n";
          case "request line without URI" -> "GARBAGE\r\n\r\n";
          case "URI of 20 kB" -> "GET /v1/models?x=" + big + " HTTP/1.1\r\nHost: a\r\n\r\n";
          case "header of 20 kB" ->
              "GET /v1/models HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n";
          case "control byte in a header" ->
              "GET /v1/models HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n";
          case "HTTP/9.9" -> "GET /v1/models HTTP/9.9\r\nHost: a\r\n\r\n";
          case "no Host" -> "GET /v1/models HTTP/1.1\r\n\r\n";
          case "malformed chunk size" ->
              post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n");
          case "chunk size beyond 64 bits" ->
              post("Transfer-Encoding: chunked\r\n", "FFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n");
          case "Content-Length: abc" -> post("Content-Length: abc\r\n", "{}");
          case "two Content-Lengths" -> post("Content-Length: 2\r\nContent-Length: 3\r\n", "{}");
          case "Transfer-Encoding: gzip" -> post("Transfer-Encoding: gzip\r\n", "{}");
          case "chunked and Content-Length" ->
              post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n");
          case "body cut short, then FIN", "body cut short, then quiet" ->
              post("Content-Length: 100\r\n", "{\"model\"");
          default -> throw new IllegalArgumentException(what);
        };
    long start = System.nanoTime();

    Raw r = raw(request, what.endsWith("FIN"));

    assertThat(r.status()).as(r.head() + r.body()).isEqualTo(status);
    r.error();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICKLY);
  }

  @Test
  void anOversizedBodySentWhole_isRefused413_andTheClientReadsIt() throws Exception {
    byte[] body = new byte[(int) GatewayConfig.DEFAULT_MAX_BODY_BYTES + 1024 * 1024];
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout((int) QUICKLY.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(
          post("Content-Length: " + body.length + "\r\n", "").getBytes(StandardCharsets.US_ASCII));
      out.write(body); // all of it before reading, as simple clients do

      Raw r = response(s.getInputStream());

      assertThat(r.status()).isEqualTo(413);
      assertThat(r.error().get("code").asText()).isEqualTo("request_too_large");
    }
  }

  /**
   * An SDK writes the whole body before it reads a byte of the answer; whatever the size and the
   * framing, it must read the 413, never a reset connection it would retry.
   */
  @ParameterizedTest(name = "{0} MiB, chunked {1}")
  @CsvSource({"9,false", "9,true", "40,false", "40,true", "120,false", "120,true"})
  void anOversizedBody_fromAnSdkThatWritesItAllFirst_reads413(int mib, boolean chunked)
      throws Exception {
    byte[] body = new byte[mib * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(publisher)
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
      assertThat(Json.parse(r.body()).at("/error/code").asText()).isEqualTo("request_too_large");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"})
  void aMethodOverrideHeader_isIgnored_soAGetNeverRevokesAKey(String header) throws Exception {
    HttpResponse<String> created =
        admin("POST", "/admin/v1/keys", "{\"name\":\"kept\"}", null, null);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = Json.parse(created.body()).get("id").asText();

    HttpResponse<String> overridden = admin("GET", "/admin/v1/keys/" + id, null, header, "DELETE");

    assertThat(overridden.statusCode()).isEqualTo(405);
    for (JsonNode k :
        Json.parse(admin("GET", "/admin/v1/keys", null, null, null).body()).get("data")) {
      if (k.get("id").asText().equals(id)) {
        assertThat(k.get("revoked_at").isNull()).as("still active").isTrue();
      }
    }
  }

  private static HttpResponse<String> admin(
      String method, String path, String body, String header, String value) throws Exception {
    String root = gateway.baseUrl().substring(0, gateway.baseUrl().length() - "/v1".length());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(root + path))
            .header("Authorization", "Bearer " + admin)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (header != null) {
      b.header(header, value);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyNodeAtCapacity_is503CapacityExceeded_withRetryAfter() throws Exception {
    String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    node.holdJobs();
    CompletableFuture<HttpResponse<String>> first =
        http.sendAsync(chatRequest(chat), HttpResponse.BodyHandlers.ofString());
    Frame.Job held = node.awaitHeldJob(); // the node's only slot is taken

    HttpResponse<String> second =
        http.send(chatRequest(chat), HttpResponse.BodyHandlers.ofString());

    assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
    assertThat(second.headers().firstValue("retry-after")).hasValue("1");
    assertThat(second.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode error = Json.parse(second.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("capacity_exceeded");
    assertThat(error.get("type").asText()).isEqualTo("service_unavailable_error");
    node.release(held);
    assertThat(first.get().statusCode()).isEqualTo(200);
  }

  private static HttpRequest chatRequest(String body) {
    return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
