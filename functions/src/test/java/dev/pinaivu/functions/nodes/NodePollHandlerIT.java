package dev.pinaivu.functions.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.functions.queue.SqsJobQueue;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.functions.testsupport.ElasticMq;
import dev.pinaivu.functions.testsupport.SampleEvents;
import java.nio.charset.StandardCharsets;
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
 * Polling nodes (ADR 39): {@code POST /v1/nodes/exchange} events (variants of {@code
 * events/api/post-nodes-exchange.json}) into the handler, the registry and connection items on
 * dynalite, the node's queue on ElasticMQ. Every request proves the key over the endpoint, the
 * session, the time and the body, once; what the protocol answers and what was queued for the node
 * come back in the answer.
 */
class NodePollHandlerIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String ENDPOINT =
      "abc123defg.execute-api.eu-west-1.amazonaws.com/prod/v1/nodes/exchange";

  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final NodeKey node = NodeKey.generate();
  private final String session = "s" + UUID.randomUUID().toString().replace("-", "");
  private ManagementApiStandIn managementApi;
  private DynamoDbNodeRegistry registry;
  private SqsJobQueue queue;
  private NodePollHandler handler;
  private CoordinatorKey coordinator;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
  }

  @BeforeEach
  void network() throws Exception {
    String prefix = "poll-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    String table = DynamoDbNetworkStores.networkTable(prefix);
    managementApi = new ManagementApiStandIn();
    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    coordinator = CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey());
    keys.remember(coordinator, now.get());
    queue = new SqsJobQueue(ElasticMq.shared().client(), prefix);
    NodeSocketHandler.Parts parts =
        new NodeSocketHandler.Parts(
            new DynamoDbNodeConnections(FRONT.client(), table),
            registry,
            new DynamoDbConductRecords(FRONT.client(), table),
            ConductRules.DEFAULTS,
            NodePolicy.DEFAULTS.admission(),
            stage -> {
              throw new AssertionError("a poll reaches relays through its own links: " + stage);
            },
            keys::all,
            NodeSocketHandler.HEARTBEAT_MS,
            clock,
            new DynamoDbJobRoutes(FRONT.client(), table),
            () -> new byte[0]);
    handler =
        new NodePollHandler(
            parts, queue, ManagementApiLinks.forStage("eu-west-1", managementApi.endpoint()));
  }

  @AfterEach
  void stop() {
    managementApi.close();
  }

  /** A request carrying {@code body}, signed by {@code signer} at {@code issuedAt}. */
  private APIGatewayProxyRequestEvent request(
      NodeKey signer, long issuedAt, String body, String signedBody, int waitSeconds) {
    APIGatewayProxyRequestEvent event =
        EventLoader.loadApiGatewayRestEvent(SampleEvents.path("api/post-nodes-exchange.json"));
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put(NodeSocketHandler.NODE_ID, node.id().value());
    headers.put(NodeSocketHandler.PUBLIC_KEY, B64.encode(node.publicKey()));
    headers.put(NodePollHandler.SESSION, session);
    headers.put(NodeSocketHandler.ISSUED_AT, Long.toString(issuedAt));
    String challenge =
        NodeProtocol.pollChallenge(
            ENDPOINT, session, issuedAt, Sha256.hex(signedBody.getBytes(StandardCharsets.UTF_8)));
    headers.put(NodeSocketHandler.SIGNATURE, B64.encode(signer.signChallenge(challenge)));
    event.setHeaders(headers);
    event.setBody(body);
    event.setQueryStringParameters(Map.of("wait", Integer.toString(waitSeconds)));
    return event;
  }

  private APIGatewayProxyResponseEvent poll(String body, int waitSeconds) {
    now.incrementAndGet(); // a new signature for each request
    return handler.handleRequest(request(node, now.get(), body, body, waitSeconds), null);
  }

  private static List<Frame> frames(APIGatewayProxyResponseEvent response) throws Exception {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    List<Frame> out = new java.util.ArrayList<>();
    for (String line : FrameCodec.lines(response.getBody())) {
      if (!line.isBlank()) {
        out.add(FrameCodec.decode(line));
      }
    }
    return out;
  }

  private String offer() {
    NodeOffer offer =
        new NodeOffer(
            node.id(), now.get(), 4, List.of(new ModelOffer("llama-3-8b", 100_000, 200_000, 8192)));
    return FrameCodec.encode(
        new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(node.signOffer(offer))));
  }

  private String connection() {
    return QueuedNodeLinks.sessionConnection(node.id(), session);
  }

  @Test
  void theSampleEvent_carriesAHeartbeat() throws Exception {
    APIGatewayProxyRequestEvent sample =
        EventLoader.loadApiGatewayRestEvent(SampleEvents.path("api/post-nodes-exchange.json"));
    assertThat(FrameCodec.decode(FrameCodec.lines(sample.getBody()).getFirst()))
        .isInstanceOf(Frame.Heartbeat.class);
  }

  @Test
  void aNodesFirstOffer_joinsOnItsSession_andIsWelcomedInTheAnswer_thenHeartbeatsKeepItLive()
      throws Exception {
    List<Frame> answer = frames(poll(offer(), 20));

    assertThat(answer)
        .singleElement()
        .isInstanceOfSatisfying(
            Frame.Welcome.class,
            w -> assertThat(w.coordinator().keyId()).isEqualTo(coordinator.keyId()));
    assertThat(registry.find(node.id(), now.get()).orElseThrow().entry().connection())
        .isEqualTo(NodeSocketHandler.connectionName(connection()));

    now.addAndGet(4_000);
    assertThat(frames(poll(FrameCodec.encode(new Frame.Heartbeat(1, now.get())), 0))).isEmpty();
    assertThat(registry.find(node.id(), now.get()).orElseThrow().reportedJobs()).isEqualTo(1);
  }

  @Test
  void whatIsSentToTheSession_isQueued_andAnsweredOnce_toTheNextPoll() throws Exception {
    frames(poll(offer(), 0));
    NodeLinks links = new QueuedNodeLinks(null, queue, clock);
    String cancel =
        FrameCodec.encode(new Frame.Cancel("req_01m91dy78yqvpxd764qj545mae", "client_gone"));

    assertThat(links.sendText(connection(), cancel)).isTrue();

    assertThat(frames(poll("", 5))).singleElement().isInstanceOf(Frame.Cancel.class);
    assertThat(frames(poll("", 0))).as("finished once answered").isEmpty();
  }

  @Test
  void aRequestSignedByAnotherKey_overAnotherBody_outsideTheMinute_orReplayed_isRefused() {
    String body = offer();
    long at = now.incrementAndGet();
    APIGatewayProxyResponseEvent otherKey =
        handler.handleRequest(request(NodeKey.generate(), at, body, body, 0), null);
    APIGatewayProxyResponseEvent otherBody =
        handler.handleRequest(request(node, at + 1, body, "", 0), null);
    APIGatewayProxyResponseEvent stale =
        handler.handleRequest(
            request(node, at - NodeProtocol.CONNECT_WINDOW_MS - 1, body, body, 0), null);
    APIGatewayProxyRequestEvent once = request(node, at + 2, body, body, 0);
    APIGatewayProxyResponseEvent first = handler.handleRequest(once, null);
    APIGatewayProxyResponseEvent replay = handler.handleRequest(once, null);

    assertThat(otherKey.getStatusCode()).isEqualTo(401);
    assertThat(otherBody.getStatusCode()).isEqualTo(401);
    assertThat(stale.getStatusCode()).isEqualTo(401);
    assertThat(first.getStatusCode()).isEqualTo(200);
    assertThat(replay.getStatusCode()).isEqualTo(401);
    assertThat(replay.getBody()).contains("used already");
  }

  @Test
  void aBadFrame_isAnsweredWithAnError_andTheSessionLeavesTheRegistry() throws Exception {
    frames(poll(offer(), 0));
    assertThat(registry.find(node.id(), now.get())).isPresent();

    List<Frame> answer = frames(poll("this is not a frame", 0));

    assertThat(answer).singleElement().isInstanceOf(Frame.Error.class);
    assertThat(registry.find(node.id(), now.get())).isEmpty();
  }
}
