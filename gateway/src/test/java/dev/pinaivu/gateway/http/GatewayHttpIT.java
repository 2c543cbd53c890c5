package dev.pinaivu.gateway.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public error contract, over real HTTP against a running gateway with no nodes. */
class GatewayHttpIT {
  @TempDir static Path dir;
  static GatewayServer gateway;
  static HttpClient http = HttpClient.newHttpClient();
  static String key;

  @BeforeAll
  static void start() {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0));
    key = gateway.devKey().reveal();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static HttpResponse<String> send(String method, String path, String auth, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode error(HttpResponse<String> r) throws Exception {
    JsonNode body = Json.parse(r.body());
    JsonNode error = body.get("error");
    assertThat(error).as(r.body()).isNotNull();
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
    assertThat(r.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return error;
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no key               | POST | NONE      | 401 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "wrong key            | POST | WRONG     | 401 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "not json             | POST | GOOD      | 422 | {\"model\":",
        "no messages          | POST | GOOD      | 400 | {\"model\":\"m\"}",
        "bad role             | POST | GOOD      | 400 | {\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
        "temperature 2.5      | POST | GOOD      | 400 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":2.5}",
        "max_tokens 0         | POST | GOOD      | 400 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}",
        "wrong type           | POST | GOOD      | 400 | {\"model\":\"m\",\"messages\":\"hi\"}",
        "no node for model    | POST | GOOD      | 503 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      })
  void chatCompletions_errors(String why, String method, String auth, int status, String body)
      throws Exception {
    String header =
        switch (auth) {
          case "GOOD" -> "Bearer " + key;
          case "WRONG" -> "Bearer sk-pnv-" + "0".repeat(52);
          default -> null;
        };

    HttpResponse<String> r = send(method, "/chat/completions", header, body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    error(r);
    assertThat(r.headers().firstValue("x-request-id"))
        .hasValueSatisfying(v -> assertThat(v).matches("req_[0-9a-z]{26}"));
  }

  /**
   * A compressed body is answered as the same body sent plain: a valid request reaches routing (503
   * here, no node), malformed JSON inside gzip is 422, not "not valid UTF-8".
   */
  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip    | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 503 |",
        "x-gzip  | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 503 |",
        "deflate | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} | 503 |",
        "gzip    | {\"model\":\"m\"}                                                      | 400 |",
        "gzip    | {\"model\":                                                             | 422 | invalid_json",
      })
  void aCompressedBody_isAnsweredAsTheSameBodySentPlain(
      String coding, String json, int status, String code) throws Exception {
    HttpResponse<String> r = sendEncoded(coding, encode(coding, json.getBytes(UTF_8)));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    if (code != null) {
      assertThat(error(r).get("code").asText()).isEqualTo(code);
    }
  }

  @Test
  void aGzipBomb_isRefused413_byItsDecodedSize() throws Exception {
    byte[] large = new byte[(int) GatewayConfig.DEFAULT_MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(large, (byte) ' ');
    byte[] small = encode("gzip", large);
    assertThat(small.length).isLessThan(100_000);

    HttpResponse<String> r = sendEncoded("gzip", small);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).get("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void bytesThatAreNotGzip_areRefused400_sayingSo() throws Exception {
    HttpResponse<String> r = sendEncoded("gzip", "{\"model\":\"m\"}".getBytes(UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("code").asText()).isEqualTo("invalid_content_encoding");
  }

  @Test
  void aCodingNotDecoded_is415_withTheCodingsThatAre() throws Exception {
    HttpResponse<String> r = sendEncoded("br", new byte[] {1, 2, 3});

    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(error(r).get("code").asText()).isEqualTo("unsupported_content_encoding");
    assertThat(r.headers().firstValue("accept-encoding")).hasValue("gzip, deflate");
  }

  private static byte[] encode(String coding, byte[] plain) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream z =
        coding.equals("deflate")
            ? new java.util.zip.DeflaterOutputStream(out)
            : new java.util.zip.GZIPOutputStream(out)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  private static HttpResponse<String> sendEncoded(String coding, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", coding)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unknownPath_is404InOpenAiShape() throws Exception {
    HttpResponse<String> r = send("GET", "/nope", "Bearer " + key, null);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r).get("message").asText()).contains("/v1/nope");
  }

  @Test
  void wrongMethod_is405InOpenAiShape() throws Exception {
    HttpResponse<String> r = send("DELETE", "/models", "Bearer " + key, null);

    assertThat(r.statusCode()).isEqualTo(405);
    error(r);
  }

  @Test
  void oversizedBody_is413BeforeAnythingElse() throws Exception {
    String body =
        "{\"model\":\"m\",\"pad\":\""
            + "x".repeat((int) GatewayConfig.DEFAULT_MAX_BODY_BYTES)
            + "\"}";

    // as well-behaved clients send large bodies: the refusal comes before the body is sent, so the
    // test does not race the server closing the connection under an 8 MiB upload
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).get("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void models_withoutNodes_isAnEmptyList() throws Exception {
    HttpResponse<String> r = send("GET", "/models", "Bearer " + key, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).get("data")).isEmpty();
    assertThat(send("GET", "/models", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/models/some/model", "Bearer " + key, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void devKey_isKeptOwnerOnlyAndSurvivesRestart() throws Exception {
    Path file = dir.resolve("dev-api-key");

    assertThat(Files.readString(file).strip()).isEqualTo(key);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    try (GatewayServer again =
        GatewayServer.start(GatewayConfig.defaults(dir.resolve("other"), 0))) {
      assertThat(again.devKey().reveal()).isNotEqualTo(key);
    }
  }
}
