package dev.pinaivu.functions.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.functions.testsupport.SampleEvents;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes on the WebSocket API: {@code $connect}, {@code $default} and {@code $disconnect} events
 * (from {@code events/ws/}) into the handler, the shared registry and connection items on dynalite,
 * and frames back through the real SDK client to a loopback stand-in of the management API.
 */
class NodeSocketHandlerIT {
  private static final byte[] RELAY_SECRET =
      "test-relay-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String ENDPOINT = "ws123abcde.execute-api.eu-west-1.amazonaws.com/prod";

  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final NodeKey node = NodeKey.generate();
  private final String connectionId = "c-" + UUID.randomUUID().toString().substring(0, 8) + "=";
  private ManagementApiStandIn managementApi;
  private DynamoDbNodeRegistry registry;
  private DynamoDbJobRoutes routes;
  private DynamoDbNodeConnections connections;
  private NodeSocketHandler handler;
  private CoordinatorKey coordinator;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
  }

  @BeforeEach
  void network() throws Exception {
    String prefix = "ws-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    String table = DynamoDbNetworkStores.networkTable(prefix);
    managementApi = new ManagementApiStandIn();
    ManagementApiLinks links = ManagementApiLinks.forStage("eu-west-1", managementApi.endpoint());
    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    routes = new DynamoDbJobRoutes(FRONT.client(), table);
    connections = new DynamoDbNodeConnections(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    coordinator = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());
    keys.remember(coordinator, now.get());
    handler =
        new NodeSocketHandler(
            new NodeSocketHandler.Parts(
                connections,
                registry,
                new DynamoDbConductRecords(FRONT.client(), table),
                ConductRules.DEFAULTS,
                NodePolicy.DEFAULTS.admission(),
                stage -> {
                  assertThat(stage).isEqualTo(ENDPOINT);
                  return links;
                },
                keys::all,
                NodeSocketHandler.HEARTBEAT_MS,
                clock,
                routes,
                () -> RELAY_SECRET));
  }

  @AfterEach
  void stop() {
    managementApi.close();
  }

  private APIGatewayV2WebSocketEvent event(String name) {
    APIGatewayV2WebSocketEvent event =
        EventLoader.loadEvent(SampleEvents.path("ws/" + name), APIGatewayV2WebSocketEvent.class);
    event.getRequestContext().setConnectionId(connectionId);
    return event;
  }

  /** {@code $connect} as the node signs it at {@code issuedAt} with {@code signer}. */
  private APIGatewayV2WebSocketResponse connect(NodeKey signer, long issuedAt) {
    APIGatewayV2WebSocketEvent event = event("connect.json");
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put(NodeSocketHandler.NODE_ID, node.id().value());
    headers.put(NodeSocketHandler.PUBLIC_KEY, B64.encode(node.publicKey()));
    headers.put(NodeSocketHandler.ISSUED_AT, Long.toString(issuedAt));
    headers.put(
        NodeSocketHandler.SIGNATURE,
        B64.encode(signer.signChallenge(NodeProtocol.connectChallenge(ENDPOINT, issuedAt))));
    event.setHeaders(headers);
    APIGatewayV2WebSocketResponse response = handler.handleRequest(event, null);
    if (response.getStatusCode() == 200) {
      managementApi.opened(connectionId); // API Gateway holds it open from here
    }
    return response;
  }

  private APIGatewayV2WebSocketResponse send(Frame frame) {
    APIGatewayV2WebSocketEvent event = event("message.json");
    event.setBody(FrameCodec.encode(frame));
    return handler.handleRequest(event, null);
  }

  private Frame.Offer offer(NodeKey signer, long issuedAt) {
    NodeOffer offer =
        new NodeOffer(
            node.id(), issuedAt, 4, List.of(new ModelOffer("llama-3-8b", 100_000, 200_000, 8192)));
    return new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(signer.signOffer(offer)));
  }

  private RegisteredNode registered() {
    return registry.find(node.id(), now.get()).orElseThrow();
  }

  @Test
  void aNodeThatSignsItsConnect_joinsWithItsFirstOffer_andIsWelcomed() {
    assertThat(connect(node, now.get()).getStatusCode()).isEqualTo(200);
    assertThat(registry.find(node.id(), now.get())).as("not live before its offer").isEmpty();

    assertThat(send(offer(node, now.get())).getStatusCode()).isEqualTo(200);

    RegisteredNode live = registered();
    assertThat(live.entry().connection()).isEqualTo(NodeSocketHandler.connectionName(connectionId));
    assertThat(live.entry().apis()).containsExactlyInAnyOrder(ApiKind.CHAT, ApiKind.RESPONSES);
    assertThat(managementApi.sentTo(connectionId))
        .singleElement()
        .isInstanceOfSatisfying(
            Frame.Welcome.class,
            w -> {
              assertThat(w.nodeId()).isEqualTo(node.id());
              assertThat(w.heartbeatIntervalMs()).isEqualTo(NodeSocketHandler.HEARTBEAT_MS);
              assertThat(w.coordinator().keyId()).isEqualTo(coordinator.keyId());
            });

    now.addAndGet(4_000);
    send(new Frame.Heartbeat(2, now.get()));
    assertThat(registered().lastSeenMs()).isEqualTo(now.get());
    assertThat(registered().reportedJobs()).isEqualTo(2);
    send(offer(node, now.get())); // a newer offer: no second welcome
    assertThat(registered().entry().offer().issuedAtMs()).isEqualTo(now.get());
    assertThat(managementApi.sentTo(connectionId)).hasSize(1);

    handler.handleRequest(event("disconnect.json"), null);
    assertThat(registry.find(node.id(), now.get())).isEmpty();
  }

  @Test
  void aConnectSignedByAnotherKey_orForAnotherTime_orReplayed_isRefused() {
    assertThat(connect(NodeKey.generate(), now.get()).getStatusCode()).isEqualTo(401);
    assertThat(connect(node, now.get() - NodeProtocol.CONNECT_WINDOW_MS - 1).getStatusCode())
        .isEqualTo(401);
    long at = now.get();
    assertThat(connect(node, at).getStatusCode()).isEqualTo(200);
    APIGatewayV2WebSocketResponse replay = connect(node, at);
    assertThat(replay.getStatusCode()).isEqualTo(401);
    assertThat(replay.getBody()).contains("opened a connection already");
  }

  @Test
  void anOfferSignedByAnotherKey_closesTheConnection_withAnError_andNeverJoins() {
    connect(node, now.get());

    send(offer(NodeKey.generate(), now.get()));

    assertThat(registry.find(node.id(), now.get())).isEmpty();
    assertThat(managementApi.sentTo(connectionId))
        .singleElement()
        .isInstanceOfSatisfying(
            Frame.Error.class, e -> assertThat(e.code()).isEqualTo("bad_offer"));
    assertThat(managementApi.closed(connectionId)).isTrue();
  }

  @Test
  void framesOnAConnectionThatNeverConnected_closeIt() {
    APIGatewayV2WebSocketResponse response = send(new Frame.Heartbeat(0, now.get()));

    assertThat(response.getStatusCode()).isEqualTo(410);
    assertThat(registry.find(node.id(), now.get())).isEmpty();
  }

  private static ObjectNode chunk(String text) {
    ObjectNode data = Json.object();
    data.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
    return data;
  }

  @Test
  void aNodesJobFramesGoVerbatimOnlyToTheRelayOfAJobRoutedToIt() {
    connect(node, now.get());
    send(offer(node, now.get()));
    String relay = "relay-" + UUID.randomUUID().toString().substring(0, 6) + "=";
    managementApi.opened(relay);
    NodeKey other = NodeKey.generate();
    routes.put(new DynamoDbJobRoutes.Route("req_mine", node.id(), connectionId, relay), now.get());
    routes.put(
        new DynamoDbJobRoutes.Route("req_theirs", other.id(), "their-conn=", relay), now.get());
    routes.put(
        new DynamoDbJobRoutes.Route("req_elsewhere", node.id(), "older-conn=", relay), now.get());

    // a node that sends frames for another node's job, or for its own job on another connection,
    // reaches nobody: only the job routed to this node on this connection is relayed
    send(new Frame.Chunk("req_theirs", 0, chunk("forged")));
    send(new Frame.Chunk("req_elsewhere", 0, chunk("stale")));
    send(new Frame.Chunk("req_mine", 0, chunk("hello")));

    assertThat(managementApi.sentTo(relay))
        .singleElement()
        .isInstanceOfSatisfying(
            Frame.Chunk.class,
            c -> {
              assertThat(c.jobId()).isEqualTo("req_mine");
              assertThat(c.data().toString()).contains("hello");
            });
  }

  @Test
  void aNodeThatDisconnectsMidJob_isReportedLostToTheJobsRelay() {
    connect(node, now.get());
    send(offer(node, now.get()));
    String relay = "relay-" + UUID.randomUUID().toString().substring(0, 6) + "=";
    managementApi.opened(relay);
    routes.put(
        new DynamoDbJobRoutes.Route("req_running", node.id(), connectionId, relay), now.get());
    assertThat(connections.addJob(connectionId, "req_running")).isTrue();

    handler.handleRequest(event("disconnect.json"), null);

    assertThat(managementApi.sentTo(relay))
        .as("the relay is told node_lost (a frame type nodes never send: Unknown to the codec)")
        .hasSize(1);
    assertThat(managementApi.rawTo(relay))
        .singleElement()
        .asString()
        .contains("\"node_lost\"")
        .contains("req_running");
  }
}
