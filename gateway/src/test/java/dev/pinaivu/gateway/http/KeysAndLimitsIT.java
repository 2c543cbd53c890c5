package dev.pinaivu.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.auth.IssuedKey;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.store.SqliteApiKeyStore;
import dev.pinaivu.gateway.store.SqliteDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys, scopes, limits, credit and the admin API over real HTTP, against a gateway with one fake
 * node that serves models {@code a} and {@code b} ({@code none} is served by nobody).
 */
class KeysAndLimitsIT {
  @TempDir static Path dir;
  static GatewayServer gateway;
  static FakeNode node;
  static final HttpClient http = HttpClient.newHttpClient();
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayServer.start(GatewayConfig.defaults(dir, 0).withHeartbeatMs(60_000));
    node = FakeNode.connect(gateway.nodeUrl(), "a", "b");
    // the node has sent its offer; wait until the gateway has taken it, or the first test may list
    // no models (seen once in a loaded build)
    for (int i = 0; i < 200 && gateway.liveNodes() < 1; i++) {
      Thread.sleep(25);
    }
    assertThat(gateway.liveNodes()).as("the fake node went live").isEqualTo(1);
    admin = Files.readString(dir.resolve(AdminToken.FILE)).strip();
  }

  @AfterAll
  static void stop() {
    node.close();
    gateway.close();
  }

  static String root() {
    return gateway.baseUrl().substring(0, gateway.baseUrl().length() - "/v1".length());
  }

  static HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> chat(String key, String model, String extra) throws Exception {
    return send(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + extra
            + "}");
  }

  /** Creates a key through the admin API; returns its JSON (with the secret in {@code key}). */
  static JsonNode createKey(String spec) throws Exception {
    HttpResponse<String> r = send("POST", "/admin/v1/keys", admin, spec);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.parse(r.body());
  }

  static String keyFor(String spec) throws Exception {
    return createKey(spec).get("key").asText();
  }

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode error = Json.parse(r.body()).get("error");
    assertThat(error).as(r.body()).isNotNull();
    return error;
  }

  static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  // --- the admin API

  @Test
  void adminApi_refusesMissingAndWrongTokensAndClientKeys() throws Exception {
    String devKey = gateway.devKey().reveal();

    assertThat(error(send("GET", "/admin/v1/keys", null, null), 401).get("code").asText())
        .isEqualTo("invalid_admin_token");
    error(send("GET", "/admin/v1/keys", "pnv-admin-" + "0".repeat(52), null), 401);
    error(send("GET", "/admin/v1/keys", admin + "x", null), 401);
    assertThat(
            error(send("POST", "/admin/v1/keys", devKey, "{\"name\":\"x\"}"), 403)
                .get("code")
                .asText())
        .isEqualTo("client_key_not_allowed");
    error(send("GET", "/v1/models", admin, null), 401);
    error(send("POST", "/v1/chat/completions", admin, "{}"), 401);
  }

  @Test
  void adminApi_createsListsAndRevokesKeys_andRevocationIsImmediate() throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/admin/v1/keys",
            admin,
            "{\"name\":\"ci\",\"scopes\":[\"chat\",\"models\"],\"models\":[\"a\"],\"rpm\":100,"
                + "\"tpm\":100000,\"budget_usd\":\"2.50\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(header(created, "cache-control")).isEqualTo("no-store");
    JsonNode key = Json.parse(created.body());
    String secret = key.get("key").asText();
    String id = key.get("id").asText();
    assertThat(secret).startsWith("sk-pnv-").hasSize(59);
    assertThat(key.get("redacted_value").asText())
        .isEqualTo(secret.substring(0, 11) + "..." + secret.substring(55));
    assertThat(key.get("account").asText()).isEqualTo("acct_dev");
    assertThat(key.get("scopes").toString()).isEqualTo("[\"chat\",\"models\"]");
    assertThat(key.get("budget_usd").asText()).isEqualTo("2.5");

    HttpResponse<String> list = send("GET", "/admin/v1/keys", admin, null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(secret).contains(id).doesNotContain("key_hash");
    JsonNode listed = null;
    for (JsonNode k : Json.parse(list.body()).get("data")) {
      if (k.get("id").asText().equals(id)) {
        listed = k;
      }
    }
    assertThat(listed.get("rpm").asInt()).isEqualTo(100);
    assertThat(listed.get("spent_usd").asText()).isEqualTo("0");
    assertThat(listed.get("revoked_at").isNull()).isTrue();

    assertThat(chat(secret, "a", "").statusCode()).isEqualTo(200);
    HttpResponse<String> revoked = send("DELETE", "/admin/v1/keys/" + id, admin, null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(Json.parse(revoked.body()).get("revoked").asBoolean()).isTrue();

    error(chat(secret, "a", ""), 401);
    assertThat(
            Json.parse(send("DELETE", "/admin/v1/keys/" + id, admin, null).body())
                .get("already_revoked")
                .asBoolean())
        .isTrue();
    error(send("DELETE", "/admin/v1/keys/key_unknown", admin, null), 404);
  }

  @Test
  void adminApi_refusesBadKeySpecsNamingTheField() throws Exception {
    String[][] cases = {
      {"{\"scopes\":[\"chat\"]}", "name"},
      {"{\"name\":\"x\",\"scopes\":[\"admin\"]}", "scopes"},
      {"{\"name\":\"x\",\"scopes\":[]}", "scopes"},
      {"{\"name\":\"x\",\"rpm\":0}", "rpm"},
      {"{\"name\":\"x\",\"tpm\":1.5}", "tpm"},
      {"{\"name\":\"x\",\"budget_usd\":\"-1\"}", "budget_usd"},
      {"{\"name\":\"x\",\"account\":\"bob\"}", "account"},
      {"{\"name\":\"x\",\"models\":\"a\"}", "models"},
    };
    for (String[] c : cases) {
      JsonNode e = error(send("POST", "/admin/v1/keys", admin, c[0]), 400);
      assertThat(e.get("param").asText()).as(c[0]).isEqualTo(c[1]);
    }
    error(send("POST", "/admin/v1/keys", admin, "{\"name\":"), 422);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"1e3\"", "\"+1.00\"", "\"-1\"", "\"1.0000001\"", "\"\"", "\" 1\"", "\"01\"",
        "\"1.\"", "\".5\"", "5", "0.1", "1e3", "true", "[\"1\"]"
      })
  void adminApi_takesMoneyOnlyAsAPlainDecimalString_andNamesTheField(String amount)
      throws Exception {
    String path = "/admin/v1/accounts/acct_grammar/credit";

    JsonNode credit = error(send("POST", path, admin, "{\"amount_usd\":" + amount + "}"), 400);
    JsonNode budget =
        error(
            send("POST", "/admin/v1/keys", admin, "{\"name\":\"x\",\"budget_usd\":" + amount + "}"),
            400);

    assertThat(credit.get("param").asText()).isEqualTo("amount_usd");
    assertThat(credit.get("message").asText()).contains("amount_usd");
    assertThat(budget.get("param").asText()).isEqualTo("budget_usd");
    assertThat(budget.get("message").asText()).contains("budget_usd");
    assertThat(
            Json.parse(send("GET", "/admin/v1/accounts/acct_grammar", admin, null).body())
                .get("balance_usd")
                .asText())
        .isEqualTo("0");
  }

  @Test
  void adminApi_creditIsIdempotentByReference() throws Exception {
    String path = "/admin/v1/accounts/acct_team/credit";

    JsonNode first =
        Json.parse(
            send("POST", path, admin, "{\"amount_usd\":\"5.00\",\"reference\":\"pay_1\"}").body());
    JsonNode again =
        Json.parse(
            send("POST", path, admin, "{\"amount_usd\":\"5\",\"reference\":\"pay_1\"}").body());

    assertThat(first.get("status").asText()).isEqualTo("applied");
    assertThat(first.get("balance_usd").asText()).isEqualTo("5");
    assertThat(again.get("status").asText()).isEqualTo("already_credited");
    assertThat(again.get("balance_usd").asText()).isEqualTo("5");
    assertThat(
            error(send("POST", path, admin, "{\"amount_usd\":\"6\",\"reference\":\"pay_1\"}"), 400)
                .get("code")
                .asText())
        .isEqualTo("reference_conflict");
    error(send("POST", path, admin, "{\"amount_usd\":\"0\"}"), 400);
    JsonNode generated = Json.parse(send("POST", path, admin, "{\"amount_usd\":\"0.1\"}").body());
    assertThat(generated.get("reference").asText()).startsWith("admin-");
    assertThat(
            Json.parse(send("GET", "/admin/v1/accounts/acct_team", admin, null).body())
                .get("balance_usd")
                .asText())
        .isEqualTo("5.1");
    error(send("GET", "/admin/v1/accounts/node_x", admin, null), 404);
  }

  @Test
  void devAccount_startsWithTenDollars_andTheAdminTokenIsOwnerOnly() throws Exception {
    JsonNode dev = Json.parse(send("GET", "/admin/v1/accounts/acct_dev", admin, null).body());

    assertThat(dev.get("balance_usd").asText()).isEqualTo("10");
    assertThat(Files.getPosixFilePermissions(dir.resolve(AdminToken.FILE)))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(admin).startsWith("pnv-admin-");
  }

  // --- keys on /v1

  @Test
  void revocationThroughAnotherConnectionToTheFile_is401OnTheNextRequest() throws Exception {
    IssuedKey issued;
    try (SqliteDatabase cli = SqliteDatabase.openIn(dir)) {
      issued =
          new KeyIssuer(new SqliteApiKeyStore(cli), InstantSource.system())
              .issue(new NewKey("cli", "acct_dev", Scope.all(), Set.of(), null, null, null));
    }
    String secret = issued.key().reveal();
    assertThat(chat(secret, "a", "").statusCode()).isEqualTo(200);

    try (SqliteDatabase cli = SqliteDatabase.openIn(dir)) {
      new KeyIssuer(new SqliteApiKeyStore(cli), InstantSource.system())
          .revoke(issued.record().id());
    }

    assertThat(error(chat(secret, "a", ""), 401).get("code").asText()).isEqualTo("invalid_api_key");
  }

  /** Every {@code /v1} route that needs a key, with the scope it needs. */
  enum ScopedRoute {
    CHAT(Scope.CHAT, "POST", "/v1/chat/completions", 200),
    MODELS(Scope.MODELS, "GET", "/v1/models", 200),
    MODEL(Scope.MODELS, "GET", "/v1/models/a", 200),
    USAGE(Scope.USAGE, "GET", "/v1/usage", 200),
    // an id nobody has: 404 with the scope, and 403 without it, before the lookup
    RECEIPT(Scope.RECEIPTS, "GET", "/v1/receipts/req_00000000000000000000000000", 404);

    final Scope scope;
    final String method;
    final String path;
    final int allowed;

    ScopedRoute(Scope scope, String method, String path, int allowed) {
      this.scope = scope;
      this.method = method;
      this.path = path;
      this.allowed = allowed;
    }

    HttpResponse<String> call(String key) throws Exception {
      return this == CHAT ? chat(key, "a", "") : send(method, path, key, null);
    }
  }

  @Test
  void eachRoute_is403MissingScope_exactlyForKeysWithoutItsScope() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Scope scope : Scope.values()) {
      String key =
          keyFor(
              "{\"name\":\"only-"
                  + scope.wireName()
                  + "\",\"scopes\":[\""
                  + scope.wireName()
                  + "\"]}");
      for (ScopedRoute route : ScopedRoute.values()) {
        HttpResponse<String> r = route.call(key);
        boolean ok =
            route.scope == scope
                ? r.statusCode() == route.allowed
                : r.statusCode() == 403
                    && Json.parse(r.body()).at("/error/code").asText().equals("missing_scope");
        if (!ok) {
          String body = r.body().substring(0, Math.min(120, r.body().length()));
          failures.add(scope.wireName() + " key, " + route + ": " + r.statusCode() + " " + body);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void attestationAndTheLog_arePublic_forAnyKeyAndForNone() throws Exception {
    String usageOnly = keyFor("{\"name\":\"pub\",\"scopes\":[\"usage\"]}");
    for (String path : List.of("/v1/attestation", "/v1/log/checkpoint", "/v1/log/entries/0")) {
      for (String key : Arrays.asList(null, usageOnly)) {
        assertThat(send("GET", path, key, null).statusCode()).as(path).isNotIn(401, 403);
      }
    }
  }

  @Test
  void missingScope_is403PermissionError() throws Exception {
    String modelsOnly = keyFor("{\"name\":\"m\",\"scopes\":[\"models\"]}");

    JsonNode e = error(send("GET", "/v1/usage", modelsOnly, null), 403);
    assertThat(e.get("type").asText()).isEqualTo("permission_error");
    assertThat(e.get("code").asText()).isEqualTo("missing_scope");
    assertThat(e.get("message").asText()).contains("'usage'");
  }

  @Test
  void keyRestrictedToModelA_is403ForB_andSeesOnlyA() throws Exception {
    String onlyA = keyFor("{\"name\":\"a\",\"models\":[\"a\"]}");

    JsonNode models = Json.parse(send("GET", "/v1/models", onlyA, null).body()).get("data");
    assertThat(models).extracting(m -> m.get("id").asText()).containsExactly("a");
    JsonNode all =
        Json.parse(send("GET", "/v1/models", gateway.devKey().reveal(), null).body()).get("data");
    assertThat(all).extracting(m -> m.get("id").asText()).containsExactly("a", "b");
    assertThat(send("GET", "/v1/models/a", onlyA, null).statusCode()).isEqualTo(200);
    error(send("GET", "/v1/models/b", onlyA, null), 404);

    assertThat(chat(onlyA, "a", "").statusCode()).isEqualTo(200);
    JsonNode e = error(chat(onlyA, "b", ""), 403);
    assertThat(e.get("code").asText()).isEqualTo("model_not_allowed");
    assertThat(e.get("param").asText()).isEqualTo("model");
  }

  @Test
  void rpm2_thirdRequestInTheMinuteIs429WithRetryAfterAndRateLimitHeaders() throws Exception {
    String key = keyFor("{\"name\":\"rpm\",\"rpm\":2}");

    HttpResponse<String> first = chat(key, "a", "");
    HttpResponse<String> second = chat(key, "a", "");
    HttpResponse<String> third = chat(key, "a", "");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "x-ratelimit-limit-requests")).isEqualTo("2");
    assertThat(header(first, "x-ratelimit-remaining-requests")).isEqualTo("1");
    assertThat(header(first, "x-ratelimit-reset-requests"))
        .matches("(1m0s|[1-5]?[0-9](\\.[0-9]+)?s)");
    assertThat(header(first, "x-ratelimit-limit-tokens")).isNull();
    assertThat(header(second, "x-ratelimit-remaining-requests")).isEqualTo("0");
    JsonNode e = error(third, 429);
    assertThat(e.get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(e.get("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(Integer.parseInt(header(third, "retry-after"))).isBetween(1, 60);
    assertThat(header(third, "x-ratelimit-limit-requests")).isEqualTo("2");
    assertThat(header(third, "x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(header(third, "x-ratelimit-reset-requests")).endsWith("s");
    assertThat(header(third, "x-request-id")).startsWith("req_");
  }

  @Test
  void tpm_reservesMaxTokensAtAdmission_andSettlesToTheNodesUsage() throws Exception {
    String key = keyFor("{\"name\":\"tpm\",\"tpm\":1000}");

    HttpResponse<String> first = chat(key, "a", ",\"max_tokens\":900");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    long remainingAtAdmission = Long.parseLong(header(first, "x-ratelimit-remaining-tokens"));
    assertThat(remainingAtAdmission).isLessThan(100); // 900 + the prompt were held

    // settled to the node's 8 tokens: another 900 fits
    HttpResponse<String> second = chat(key, "a", ",\"max_tokens\":900");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(Long.parseLong(header(second, "x-ratelimit-remaining-tokens")))
        .isEqualTo(remainingAtAdmission - FakeNode.USAGE.totalTokens());

    // a request that fails before output gives its reservation back: 503, not 429
    for (int i = 0; i < 3; i++) {
      error(chat(key, "none", ",\"max_tokens\":900"), 503);
    }

    HttpResponse<String> tooLarge = chat(key, "a", ",\"max_tokens\":5000");
    assertThat(error(tooLarge, 429).get("message").asText()).contains("Request too large");
    assertThat(header(tooLarge, "retry-after")).isNull();
    assertThat(header(tooLarge, "x-ratelimit-limit-tokens")).isEqualTo("1000");
  }

  @Test
  void accountWithoutCredit_is429InsufficientQuota_untilCredited() throws Exception {
    String key = keyFor("{\"name\":\"poor\",\"account\":\"acct_poor\"}");

    JsonNode e = error(chat(key, "a", ""), 429);
    assertThat(e.get("type").asText()).isEqualTo("insufficient_quota");
    assertThat(e.get("code").asText()).isEqualTo("insufficient_quota");

    send("POST", "/admin/v1/accounts/acct_poor/credit", admin, "{\"amount_usd\":\"0.01\"}");
    assertThat(chat(key, "a", "").statusCode()).isEqualTo(200);
  }

  @Test
  void keyWithASpentBudget_is429InsufficientQuota() throws Exception {
    String key = keyFor("{\"name\":\"zero\",\"budget_usd\":\"0\"}");

    assertThat(error(chat(key, "a", ""), 429).get("code").asText()).isEqualTo("insufficient_quota");
  }

  @Test
  void checks_comeInTheOrder401_422_400_403_429_503() throws Exception {
    String limited =
        keyFor("{\"name\":\"order\",\"scopes\":[\"chat\"],\"models\":[\"a\",\"none\"],\"rpm\":1}");
    String unlimited = keyFor("{\"name\":\"open\"}");

    error(send("POST", "/v1/chat/completions", null, "{\"model\":"), 401);
    error(send("POST", "/v1/chat/completions", limited, "{\"model\":"), 422);
    error(send("POST", "/v1/chat/completions", limited, "{\"model\":\"b\"}"), 400);
    error(chat(limited, "b", ""), 403);
    error(chat(limited, "none", ""), 503); // admitted: takes the one request of the minute
    error(chat(limited, "none", ""), 429);
    error(chat(limited, "b", ""), 403);
    error(chat(unlimited, "none", ""), 503);
  }
}
