package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-origin calls the way a browser makes them (ADR 29): the preflight an OpenAI SDK's request
 * from a web page causes, then the real request with its {@code Origin}; what the page may read of
 * the answer; and the admin API, which no page may call. Also the {@code request_id} every JSON
 * body carries, errors included.
 */
class BrowserCallsIT {
  private static final String PAGE = "https://app.example";
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;
  private GatewayServer gateway;

  private void start(CorsOrigins cors) {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0).withCors(cors));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private String root() {
    return gateway.baseUrl().substring(0, gateway.baseUrl().length() - "/v1".length());
  }

  /** A preflight as Chrome sends it for the OpenAI JS SDK's chat call. */
  private HttpResponse<String> preflight(String path, String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(root() + path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type,x-stainless-arch,x-stainless-lang,x-stainless-os")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String origin, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root() + path));
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> list(HttpHeaders headers, String name) {
    return headers.allValues(name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(v -> v.strip().toLowerCase(Locale.ROOT))
        .toList();
  }

  @Test
  void anyOrigin_preflightAllowsTheSdksHeaders_andTheAnswerIsReadable() throws Exception {
    start(CorsOrigins.ANY);

    HttpResponse<String> pre = preflight("/v1/chat/completions", PAGE);
    HttpResponse<String> models = get("/v1/models", PAGE, gateway.devKey().reveal());
    HttpResponse<String> refused = get("/v1/models", PAGE, null);

    assertThat(pre.statusCode()).isBetween(200, 204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(list(pre.headers(), "Access-Control-Allow-Methods")).contains("post");
    assertThat(list(pre.headers(), "Access-Control-Allow-Headers"))
        .contains("authorization", "content-type", "x-stainless-os");
    assertThat(pre.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(pre.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    for (HttpResponse<String> r : List.of(models, refused)) {
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      assertThat(list(r.headers(), "Access-Control-Expose-Headers"))
          .contains("x-request-id", "retry-after", "x-ratelimit-remaining-requests");
    }
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(401); // a page can read why it was refused
  }

  @Test
  void theAdminApi_answersNoPage() throws Exception {
    start(CorsOrigins.ANY);
    String admin = Files.readString(dir.resolve(AdminToken.FILE)).strip();

    HttpResponse<String> pre = preflight("/admin/v1/keys", PAGE);
    HttpResponse<String> keys = get("/admin/v1/keys", PAGE, admin);

    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(keys.statusCode()).isEqualTo(200);
    assertThat(keys.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void listedOrigins_onlyThoseAreAllowed_andNoneMeansNone() throws Exception {
    start(CorsOrigins.parse("https://app.example, http://localhost:3000"));

    HttpResponse<String> listed = preflight("/v1/chat/completions", "http://localhost:3000");
    HttpResponse<String> other = preflight("/v1/chat/completions", "https://evil.example");
    HttpResponse<String> call = get("/v1/models", PAGE, gateway.devKey().reveal());
    gateway.close();
    start(CorsOrigins.NONE);
    HttpResponse<String> none = preflight("/v1/chat/completions", PAGE);

    assertThat(listed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:3000");
    assertThat(listed.headers().allValues("Vary").toString()).containsIgnoringCase("origin");
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(call.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
    assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void everyJsonBody_carriesItsRequestId_errorsIncluded() throws Exception {
    start(CorsOrigins.ANY);
    String key = gateway.devKey().reveal();

    for (HttpResponse<String> r :
        List.of(
            get("/v1/models", null, key),
            get("/v1/usage", null, key),
            get("/v1/models", null, null),
            get("/v1/receipts/req_01m8v9jc7xzhwxwqgf1wgj9d74", null, key),
            get("/v1/nope", null, key),
            get("/admin/v1/keys", null, "wrong"))) {
      JsonNode body = Json.parse(r.body());
      assertThat(body.path("request_id").asText())
          .as(r.uri() + " " + r.body())
          .matches("req_[0-9a-z]{26}")
          .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    }
  }

  @Test
  void aMalformedOriginList_isRefusedAtStart() {
    for (String flag : List.of("https://app.example/path", "app.example", "*,https://a.example")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CorsOrigins.parse(flag))
          .as(flag)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
