package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.billing.Payments;
import dev.pinaivu.core.error.ErrorResponses;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;
import dev.pinaivu.core.usage.AccountQueries;
import dev.pinaivu.core.usage.ReceiptLookup;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.core.usage.UsageReport;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbReceiptStore;
import dev.pinaivu.functions.store.DynamoDbSettlementRecords;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account handlers (usage, receipts, attestation) on the sample events of {@code events/}, over
 * the DynamoDB stores on dynalite: what an OpenAI SDK client gets from Lambda is what the local
 * gateway gives (the same use case, the same error mapping), with a {@code request_id} on every
 * object and error.
 */
class AccountHandlersIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

  private String table;
  private AccountQueries queries;
  private String key;
  private String modelsOnlyKey;
  private RequestId settled;
  private SignedReceipt receipt;

  /** The usage report's clock: the handler's report and the expected one end at one second. */
  private static final Clock NOW = Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC);

  @BeforeEach
  void network() {
    String prefix = "fn-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    table = DynamoDbNetworkStores.networkTable(prefix);
    ApiKeyStore keys = new DynamoDbApiKeyStore(FRONT.client(), table);
    KeyIssuer issuer = new KeyIssuer(keys, Clock.systemUTC());
    key = issuer.issue(newKey(Scope.all())).key().reveal();
    modelsOnlyKey = issuer.issue(newKey(Set.of(Scope.MODELS))).key().reveal();
    DynamoDbReceiptStore receipts = new DynamoDbReceiptStore(FRONT.client(), table);
    settled = RequestId.next();
    receipt =
        TestReceipt.signed(
            settled,
            Outcome.COMPLETED,
            Usage.of(1200, 700),
            700,
            System.currentTimeMillis() - 60_000);
    StoredReceipt stored = StoredReceipt.of("acct_1", "key_1", receipt);
    new DynamoDbSettlementRecords(FRONT.client(), table, Clock.systemUTC())
        .record(stored, Payments.of(stored, receipt.receipt()));
    DynamoDbCoordinatorKeys coordinatorKeys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    coordinatorKeys.remember(
        CoordinatorKey.dev(TestReceipt.COORDINATOR.publicKey()), System.currentTimeMillis());
    queries =
        new AccountQueries(
            new Authenticator(keys),
            new UsageReport(receipts, NOW), // one instant: both reports end at the same second
            new ReceiptLookup(receipts),
            AccountQueries.Settling.NONE,
            coordinatorKeys::all,
            UnaryOperator.identity());
  }

  private static NewKey newKey(Set<Scope> scopes) {
    return new NewKey("fn-test", "acct_1", scopes, Set.of(), null, null, null);
  }

  private static JsonNode body(APIGatewayProxyResponseEvent response) throws Exception {
    return Json.parse(response.getBody());
  }

  /** The response's {@code request_id}, checked against its header and the id format. */
  private static String requestId(APIGatewayProxyResponseEvent response) throws Exception {
    String header = response.getHeaders().get("x-request-id");
    assertThat(header).matches("req_[0-9a-hjkmnp-tv-z]{26}");
    assertThat(body(response).path("request_id").asText()).isEqualTo(header);
    return header;
  }

  @Test
  void usage_isTheReportOfTheKeysAccount_withTheRequestId() throws Exception {
    APIGatewayProxyResponseEvent response =
        new UsageHandler(queries)
            .handleRequest(ApiEvent.load("api/get-usage.json").key(key).event(), null);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
    requestId(response);
    JsonNode expected =
        Json.parse(
            Json.bytes(
                queries.usage("Bearer " + key, Map.of("group_by", java.util.List.of("model")))));
    ObjectNode got = (ObjectNode) body(response);
    got.remove("request_id");
    assertThat(got).isEqualTo(expected);
    assertThat(got.path("totals").path("num_model_requests").asInt()).isEqualTo(1);
    assertThat(got.toString()).contains(TestReceipt.MODEL);
  }

  @Test
  void aReceipt_isServedExactlyAsSigned() throws Exception {
    APIGatewayProxyResponseEvent response =
        new ReceiptHandler(queries)
            .handleRequest(
                ApiEvent.load("api/get-receipt.json")
                    .key(key)
                    .pathParameter(ReceiptHandler.ID, settled.value())
                    .event(),
                null);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    SignedReceipt served = Json.MAPPER.readValue(response.getBody(), SignedReceipt.class);
    JsonNode servedTree = Json.MAPPER.valueToTree(served);
    JsonNode signedTree = Json.MAPPER.valueToTree(receipt);
    assertThat(servedTree).isEqualTo(signedTree);
  }

  @Test
  void refusals_areTheLocalGatewaysStatusesAndBodies_withARequestId() throws Exception {
    ReceiptHandler receipts = new ReceiptHandler(queries);
    APIGatewayProxyResponseEvent noKey =
        new UsageHandler(queries)
            .handleRequest(ApiEvent.load("api/get-usage.json").noKey().event(), null);
    APIGatewayProxyResponseEvent badKey =
        new UsageHandler(queries)
            .handleRequest(ApiEvent.load("api/get-usage.json").key("sk-pnv-nope").event(), null);
    APIGatewayProxyResponseEvent noScope =
        receipts.handleRequest(
            ApiEvent.load("api/get-receipt.json")
                .key(modelsOnlyKey)
                .pathParameter(ReceiptHandler.ID, settled.value())
                .event(),
            null);
    APIGatewayProxyResponseEvent unknown =
        receipts.handleRequest(
            ApiEvent.load("api/get-receipt.json")
                .key(key)
                .pathParameter(ReceiptHandler.ID, RequestId.next().value())
                .event(),
            null);

    assertThat(noKey.getStatusCode()).isEqualTo(401);
    assertThat(badKey.getStatusCode()).isEqualTo(401);
    assertThat(noScope.getStatusCode()).isEqualTo(403);
    assertThat(unknown.getStatusCode()).isEqualTo(404);
    for (APIGatewayProxyResponseEvent r : new APIGatewayProxyResponseEvent[] {noKey, noScope}) {
      requestId(r);
    }
    assertThat(body(noKey).path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(body(noScope).path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(body(unknown).path("error").path("type").asText()).isEqualTo("not_found_error");
    assertThat(body(unknown).path("error").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("message", "type", "param", "code");
  }

  @Test
  void theAttestation_isPublic_andListsTheCoordinatorsKey() throws Exception {
    APIGatewayProxyResponseEvent response =
        new AttestationHandler(queries)
            .handleRequest(ApiEvent.load("api/get-attestation.json").event(), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    requestId(response);
    assertThat(body(response).path("keys").findValuesAsText("key_id")).contains(TestReceipt.KEY_ID);
  }

  @Test
  void aStoreThatFails_isA500ThatSaysNothingInside() throws Exception {
    AccountQueries broken =
        new AccountQueries(
            new Authenticator(new DynamoDbApiKeyStore(FRONT.client(), "no-such-table")),
            new UsageReport(new DynamoDbReceiptStore(FRONT.client(), table), Clock.systemUTC()),
            new ReceiptLookup(new DynamoDbReceiptStore(FRONT.client(), table)),
            AccountQueries.Settling.NONE,
            java.util.List::of,
            UnaryOperator.identity());

    APIGatewayProxyResponseEvent response =
        new UsageHandler(broken)
            .handleRequest(ApiEvent.load("api/get-usage.json").key(key).event(), null);

    assertThat(response.getStatusCode()).isEqualTo(500);
    assertThat(body(response).path("error"))
        .isEqualTo(ErrorResponses.body(ErrorResponses.internal()).path("error"));
    assertThat(response.getBody()).doesNotContain("no-such-table");
    requestId(response);
  }

  @Test
  void anEnvironmentWithoutItsTable_refusesToStart_namingTheVariable() {
    assertThatThrownBy(() -> ServerlessNetwork.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ServerlessNetwork.TABLE_PREFIX);
    assertThatThrownBy(() ->
            ServerlessNetwork.fromEnvironment(
                Map.of(ServerlessNetwork.TABLE_PREFIX, "p-", ServerlessNetwork.LOG_TABLE, "log")))
        .hasMessageContaining(ServerlessNetwork.LOG_ORIGIN);
  }
}
