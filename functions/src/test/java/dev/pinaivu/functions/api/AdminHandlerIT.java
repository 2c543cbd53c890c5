package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin function on variants of {@code events/api/post-admin-keys.json} (an IAM-authorized
 * request as API Gateway delivers it), over the DynamoDB stores on dynalite, composed as on Lambda
 * ({@link ServerlessNetwork}): keys it issues authenticate on the public API and stop when revoked,
 * credits land once per reference, and a request without the caller's IAM identity changes nothing.
 */
class AdminHandlerIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String KEYS = "/admin/v1/keys";
  private static final String KEY = "/admin/v1/keys/{id}";
  private static final String ACCOUNT = "/admin/v1/accounts/{id}";
  private static final String CREDIT = "/admin/v1/accounts/{id}/credit";

  private AdminHandler handler;
  private Authenticator publicApi;

  @BeforeEach
  void network() {
    String prefix = "adm-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    handler = new AdminHandler(new ServerlessNetwork(FRONT.client(), prefix, null, null).admin());
    publicApi =
        new Authenticator(
            new DynamoDbApiKeyStore(FRONT.client(), DynamoDbNetworkStores.networkTable(prefix)));
  }

  private APIGatewayProxyResponseEvent call(ApiEvent event) {
    return handler.handleRequest(event.event(), null);
  }

  private static ApiEvent event() {
    return ApiEvent.load("api/post-admin-keys.json");
  }

  private static ApiEvent on(String method, String resource, String path) {
    return event().route(method, resource, path).body(null);
  }

  private static JsonNode body(APIGatewayProxyResponseEvent response) throws Exception {
    JsonNode body = Json.parse(response.getBody());
    assertThat(body.path("request_id").asText())
        .isEqualTo(response.getHeaders().get("x-request-id"))
        .matches("req_[0-9a-hjkmnp-tv-z]{26}");
    return body;
  }

  @Test
  void aKeyItIssues_worksOnThePublicApi_isListedWithoutItsSecret_andStopsWhenRevoked()
      throws Exception {
    APIGatewayProxyResponseEvent created = call(event());

    assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
    assertThat(created.getHeaders()).containsEntry("Cache-Control", "no-store");
    JsonNode key = body(created);
    String secret = key.path("key").asText();
    String id = key.path("id").asText();
    assertThat(secret).startsWith("sk-pnv-");
    assertThat(key.path("account").asText()).isEqualTo("acct_team");
    assertThat(publicApi.authenticate("Bearer " + secret).keyId()).isEqualTo(id);

    APIGatewayProxyResponseEvent list = call(on("GET", KEYS, KEYS));
    assertThat(list.getStatusCode()).isEqualTo(200);
    assertThat(body(list).path("data").findValuesAsText("id")).containsExactly(id);
    assertThat(list.getBody()).doesNotContain(secret);

    APIGatewayProxyResponseEvent revoked =
        call(on("DELETE", KEY, KEYS + "/" + id).pathParameter("id", id));
    APIGatewayProxyResponseEvent again =
        call(on("DELETE", KEY, KEYS + "/" + id).pathParameter("id", id));
    APIGatewayProxyResponseEvent unknown =
        call(on("DELETE", KEY, KEYS + "/key_nope").pathParameter("id", "key_nope"));
    assertThat(body(revoked).path("already_revoked").asBoolean()).isFalse();
    assertThat(body(again).path("already_revoked").asBoolean()).isTrue();
    assertThat(unknown.getStatusCode()).isEqualTo(404);
    assertThatThrownBy(() -> publicApi.authenticate("Bearer " + secret))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void aCredit_landsOncePerReference_andAConflictingRetryIsRefused() throws Exception {
    String path = "/admin/v1/accounts/acct_team/credit";
    APIGatewayProxyResponseEvent first =
        call(
            on("POST", CREDIT, path)
                .pathParameter("id", "acct_team")
                .body("{\"amount_usd\":\"12.50\",\"reference\":\"invoice-7\"}"));
    APIGatewayProxyResponseEvent retry =
        call(
            on("POST", CREDIT, path)
                .pathParameter("id", "acct_team")
                .body("{\"amount_usd\":\"12.50\",\"reference\":\"invoice-7\"}"));
    APIGatewayProxyResponseEvent conflict =
        call(
            on("POST", CREDIT, path)
                .pathParameter("id", "acct_team")
                .body("{\"amount_usd\":\"99\",\"reference\":\"invoice-7\"}"));
    APIGatewayProxyResponseEvent account =
        call(on("GET", ACCOUNT, "/admin/v1/accounts/acct_team").pathParameter("id", "acct_team"));

    assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
    assertThat(body(first).path("status").asText()).isEqualTo("applied");
    assertThat(body(retry).path("status").asText()).isEqualTo("already_credited");
    assertThat(conflict.getStatusCode()).isEqualTo(400);
    assertThat(body(conflict).path("error").path("code").asText()).isEqualTo("reference_conflict");
    assertThat(body(account).path("balance_usd").asText()).isEqualTo("12.5");
  }

  @Test
  void withoutTheCallersIamIdentity_nothingIsDone_andTheAnswerIs401() throws Exception {
    APIGatewayProxyResponseEvent refused = call(event().noIamIdentity());
    APIGatewayProxyResponseEvent credit =
        call(
            on("POST", CREDIT, "/admin/v1/accounts/acct_team/credit")
                .pathParameter("id", "acct_team")
                .body("{\"amount_usd\":\"1000\"}")
                .noIamIdentity());

    for (APIGatewayProxyResponseEvent r : new APIGatewayProxyResponseEvent[] {refused, credit}) {
      assertThat(r.getStatusCode()).isEqualTo(401);
      assertThat(body(r).path("error").path("code").asText()).isEqualTo("iam_identity_missing");
    }
    assertThat(body(call(on("GET", KEYS, KEYS))).path("data")).isEmpty();
    JsonNode account =
        body(
            call(
                on("GET", ACCOUNT, "/admin/v1/accounts/acct_team")
                    .pathParameter("id", "acct_team")));
    assertThat(account.path("balance_usd").asText()).isEqualTo("0");
  }

  @Test
  void badBodies_areThePublicApisStatuses_422ForNotJson_400ForNotAnObject() throws Exception {
    APIGatewayProxyResponseEvent notJson = call(event().body("{\"name\":"));
    APIGatewayProxyResponseEvent array = call(event().body("[1,2]"));
    APIGatewayProxyResponseEvent badBase64 = call(event().base64Body("%%%not base64"));
    APIGatewayProxyResponseEvent base64 =
        call(
            event()
                .base64Body(
                    Base64.getEncoder()
                        .encodeToString("{\"name\":\"b64\"}".getBytes(StandardCharsets.UTF_8))));
    APIGatewayProxyResponseEvent noName = call(event().body("{}"));

    assertThat(notJson.getStatusCode()).isEqualTo(422);
    assertThat(array.getStatusCode()).isEqualTo(400);
    assertThat(badBase64.getStatusCode()).isEqualTo(422);
    assertThat(base64.getStatusCode()).as(base64.getBody()).isEqualTo(201);
    assertThat(noName.getStatusCode()).isEqualTo(400);
    assertThat(body(noName).path("error").path("param").asText()).isEqualTo("name");
    assertThat(body(call(on("GET", KEYS, KEYS))).path("data").findValuesAsText("name"))
        .containsExactly("b64");
  }

  @Test
  void aRouteItDoesNotServe_is404() throws Exception {
    APIGatewayProxyResponseEvent response = call(on("PUT", KEYS, KEYS));

    assertThat(response.getStatusCode()).isEqualTo(404);
    assertThat(body(response).path("error").path("type").asText()).isEqualTo("not_found_error");
  }
}
