package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.models.ModelCatalog;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.TestNodes;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodeConduct;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/models} on Lambda lists what the live nodes in the shared registry (on dynalite)
 * offer: a node that fell silent or is quarantined in the shared conduct records is not listed.
 */
class ModelsHandlerIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private DynamoDbNodeRegistry registry;
  private DynamoDbConductRecords conduct;
  private ModelsHandler handler;
  private String key;

  @BeforeEach
  void network() {
    String prefix = "fm-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    String table = DynamoDbNetworkStores.networkTable(prefix);
    ApiKeyStore keys = new DynamoDbApiKeyStore(FRONT.client(), table);
    key =
        new KeyIssuer(keys, Clock.systemUTC())
            .issue(new NewKey("fm", "acct_1", Set.of(Scope.MODELS), Set.of(), null, null, null))
            .key()
            .reveal();
    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    conduct = new DynamoDbConductRecords(FRONT.client(), table);
    handler =
        new ModelsHandler(
            new ModelCatalog(
                new Authenticator(keys),
                new RegistryDirectory(
                    registry,
                    conduct,
                    ConductRules.DEFAULTS,
                    ServerlessNetwork.NODE_SILENCE_MS,
                    clock),
                PriceCeilings.DEFAULTS));
  }

  private NodeKey join(String model) {
    NodeKey node = NodeKey.generate();
    registry.join(TestNodes.entry(node, "gw-test/1", model, now.get()), now.get());
    return node;
  }

  private APIGatewayProxyResponseEvent list() {
    return handler.handleRequest(ApiEvent.load("api/get-models.json").key(key).event(), null);
  }

  private static List<String> ids(APIGatewayProxyResponseEvent response) throws Exception {
    JsonNode body = Json.parse(response.getBody());
    return body.path("data").findValuesAsText("id");
  }

  @Test
  void theModelsOfLiveNodes_areListed_andEachCanBeRead() throws Exception {
    join("llama-3-8b");
    join("llama-3-8b");
    join("mistral-7b");

    APIGatewayProxyResponseEvent listed = list();
    assertThat(listed.getStatusCode()).as(listed.getBody()).isEqualTo(200);
    assertThat(ids(listed)).containsExactlyInAnyOrder("llama-3-8b", "mistral-7b");
    assertThat(Json.parse(listed.getBody()).path("request_id").asText()).startsWith("req_");

    APIGatewayProxyResponseEvent one =
        handler.handleRequest(ApiEvent.load("api/get-model.json").key(key).event(), null);
    assertThat(one.getStatusCode()).as(one.getBody()).isEqualTo(200);
    assertThat(Json.parse(one.getBody()).path("id").asText()).isEqualTo("llama-3-8b");
    APIGatewayProxyResponseEvent none =
        handler.handleRequest(
            ApiEvent.load("api/get-model.json")
                .key(key)
                .pathParameter(ModelsHandler.MODEL, "nobody-serves-this")
                .event(),
            null);
    assertThat(none.getStatusCode()).isEqualTo(404);
    assertThat(Json.parse(none.getBody()).path("error").path("code").asText())
        .isEqualTo("model_not_found");
  }

  @Test
  void aSilentNode_andAQuarantinedOne_areNotListed() throws Exception {
    NodeKey quarantined = join("llama-3-8b");
    NodeConduct failed = new NodeConduct(ConductRules.DEFAULTS, now.get());
    failed.failed(now.get()); // on probation: one failure quarantines it
    conduct.save(quarantined.id(), failed.record());
    assertThat(ids(list())).isEmpty();

    NodeKey silent = join("mistral-7b");
    assertThat(ids(list())).containsExactly("mistral-7b");
    now.addAndGet(ServerlessNetwork.NODE_SILENCE_MS + 1);
    assertThat(ids(list())).isEmpty();
    registry.heartbeat(silent.id(), "gw-test/1", 0, now.get());
    assertThat(ids(list())).containsExactly("mistral-7b");
  }

  @Test
  void aRequestWithoutAKey_isRefused() {
    APIGatewayProxyResponseEvent response =
        handler.handleRequest(ApiEvent.load("api/get-models.json").noKey().event(), null);
    assertThat(response.getStatusCode()).isEqualTo(401);
  }
}
