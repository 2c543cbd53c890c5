package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.Verification;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.functions.dispatch.RelayConnection;
import dev.pinaivu.functions.dispatch.RelayDispatcher;
import dev.pinaivu.functions.nodes.ManagementApiLinks;
import dev.pinaivu.functions.nodes.NodeLinks;
import dev.pinaivu.functions.nodes.NodeSocketHandler;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job dispatched the serverless way (ADR 27) to a real {@code pinaivu node} process: the job
 * frame posted to the node's WebSocket API connection, the node's frames relayed by {@code
 * $default} (the real {@link NodeSocketHandler}, on dynalite) to the dispatching invocation's own
 * relay connection, through a loopback stand-in of the WebSocket API (test code). The relayed
 * frames are the node's exact bytes: the proof the node signs covers the digest the relay side
 * computed of what it received.
 */
class ServerlessDispatchIT {
  private static final byte[] RELAY_SECRET = "test-relay-secret".getBytes(StandardCharsets.UTF_8);
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final String MODEL = "pinaivu-demo-echo";

  @TempDir Path dir;

  private DynamoDbNodeRegistry registry;
  private DynamoDbNodeConnections connections;
  private DynamoDbJobRoutes routes;
  private DynamoDbConductRecords conduct;
  private ApiGatewayWebSocketStandIn api;
  private ManagementApiLinks links;
  private final CoordinatorService coordinator =
      OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(500)));

  @BeforeEach
  void start() {
    // the management API's client signs its calls; the stand-in checks no signature
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
    String prefix = "dispatch-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    String table = DynamoDbNetworkStores.networkTable(prefix);
    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    connections = new DynamoDbNodeConnections(FRONT.client(), table);
    routes = new DynamoDbJobRoutes(FRONT.client(), table);
    conduct = new DynamoDbConductRecords(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    keys.remember(coordinator.identity(), System.currentTimeMillis());
    NodeSocketHandler[] handler = new NodeSocketHandler[1];
    api = new ApiGatewayWebSocketStandIn(event -> handler[0].handleRequest(event, null));
    links = ManagementApiLinks.forStage("us-east-1", api.managementApi());
    handler[0] =
        new NodeSocketHandler(
            new NodeSocketHandler.Parts(
                connections,
                registry,
                conduct,
                ConductRules.DEFAULTS,
                NodePolicy.DEFAULTS.admission(),
                endpoint -> links,
                keys::all,
                1_000,
                InstantSource.system(),
                routes,
                () -> RELAY_SECRET));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private RegistryDirectory directory() {
    return new RegistryDirectory(
        registry, conduct, ConductRules.DEFAULTS, 3_000, InstantSource.system());
  }

  private RelayConnection relay(byte[] secret) {
    return new RelayConnection(
        HttpClient.newHttpClient(), api.nodeUrl(), () -> secret, InstantSource.system());
  }

  private RegisteredNode awaitNode(NodeProcess node) throws Exception {
    for (int i = 0; i < 300; i++) {
      List<RegisteredNode> all = registry.all(System.currentTimeMillis());
      if (!all.isEmpty()) {
        return all.getFirst();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the node never joined; it said:\n" + node.output());
  }

  private Job job(RegisteredNode node, boolean stream) {
    return job(
        node,
        stream,
        "{\"model\":\""
            + MODEL
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"relay these words back\"}]}");
  }

  private Job job(RegisteredNode node, boolean stream, String body) {
    RequestId id = RequestId.next();
    SignedDispatchToken token =
        coordinator.dispatch(
            new Coordinator.DispatchRequest(
                id.value(),
                Sha256.hex(body.getBytes(StandardCharsets.UTF_8)),
                MODEL,
                node.entry().publicKey(),
                node.entry().signed(),
                1_000_000,
                256));
    return new Job(id, MODEL, stream, body, System.currentTimeMillis() + 30_000, token.wire());
  }

  private static List<Frame.JobFrame> readToEnd(JobStream stream) throws Exception {
    List<Frame.JobFrame> frames = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Frame.JobFrame frame = stream.next(Duration.ofSeconds(10));
      assertThat(frame).as("a frame within 10 s, after " + frames).isNotNull();
      frames.add(frame);
      if (frame instanceof Frame.Done || frame instanceof Frame.JobError) {
        return frames;
      }
    }
    throw new AssertionError("no end: " + frames);
  }

  @Test
  void aJobsFramesComeBackOnTheRelayConnectionExactlyAsTheNodeSignedThem() throws Exception {
    try (NodeProcess node =
            NodeProcess.start(
                api.nodeUrl().toString(),
                dir.resolve("node"),
                "--gateway-handshake",
                "HEADERS",
                "--demo-token-ms",
                "1");
        RelayConnection relay = relay(RELAY_SECRET)) {
      RegisteredNode joined = awaitNode(node);
      RelayDispatcher dispatcher =
          new RelayDispatcher(
              relay, links, registry, connections, routes, directory(), InstantSource.system());

      Job job = job(joined, true);
      String nodeConnection = joined.entry().connection().substring("ws/".length());
      int messagesBefore = api.messagesFrom(nodeConnection);
      List<Frame.JobFrame> frames;
      SignedProof proof;
      String received;
      try (JobStream stream = dispatcher.dispatch(joined.nodeId(), job)) {
        assertThat(registry.find(joined.nodeId(), System.currentTimeMillis()).orElseThrow().slots())
            .as("a slot held while the job runs")
            .isEqualTo(1);
        frames = readToEnd(stream);
        received = stream.receivedResponseSha256();
        proof = stream.proof().get(10, TimeUnit.SECONDS);
      }

      assertThat(frames).first().isInstanceOf(Frame.JobAccept.class);
      assertThat(frames).filteredOn(Frame.Chunk.class::isInstance).isNotEmpty();
      assertThat(frames).last().isInstanceOf(Frame.Done.class);
      assertThat(proof).as("the node's proof, relayed").isNotNull();
      Verification<ProofOfInference> verified = proof.verify(joined.entry().publicKey());
      assertThat(verified.valid()).as(verified.reason()).isTrue();
      assertThat(verified.value().responseSha256())
          .as("the node signed the digest of exactly the bytes the relay side received")
          .isEqualTo(received);
      assertThat(verified.value().requestSha256())
          .isEqualTo(Sha256.hex(job.request().getBytes(StandardCharsets.UTF_8)));
      assertThat(registry.find(joined.nodeId(), System.currentTimeMillis()).orElseThrow().slots())
          .as("the slot is free once the job is closed")
          .isZero();
      int messages = api.messagesFrom(nodeConnection) - messagesBefore;
      assertThat(messages)
          .as(
              "the node batches its %d frames and its proof by time (each message is one $default"
                  + " invocation on AWS)",
              frames.size())
          .isLessThanOrEqualTo((frames.size() + 1) / 2);
      assertThat(connections.find(nodeConnection).orElseThrow().jobs())
          .as("the job is off the node's connection")
          .isEmpty();
    }
  }

  @Test
  void aRelayWithoutTheDeploymentsSecretIsRefusedAndANodeGoneIsAFailover() throws Exception {
    try (RelayConnection forged = relay("not-the-secret".getBytes(StandardCharsets.UTF_8))) {
      assertThatThrownBy(forged::open)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not open");
    }
    RegisteredNode joined;
    try (NodeProcess node =
        NodeProcess.start(
            api.nodeUrl().toString(), dir.resolve("node"), "--gateway-handshake", "HEADERS")) {
      joined = awaitNode(node);
    }
    // the node stopped: a dispatch to it is refused (the use case tries the next node)
    try (RelayConnection relay = relay(RELAY_SECRET)) {
      RelayDispatcher dispatcher =
          new RelayDispatcher(
              relay, links, registry, connections, routes, directory(), InstantSource.system());
      for (int i = 0;
          i < 100 && registry.find(joined.nodeId(), System.currentTimeMillis()).isPresent();
          i++) {
        Thread.sleep(100);
      }
      assertThatThrownBy(() -> dispatcher.dispatch(joined.nodeId(), job(joined, false)))
          .isInstanceOf(NodeUnavailableException.class);
    }
  }

  @Test
  void aQuarantinedNodeGetsNoJob_evenWhenTheRouterStillListedIt() throws Exception {
    try (NodeProcess node =
            NodeProcess.start(
                api.nodeUrl().toString(), dir.resolve("node"), "--gateway-handshake", "HEADERS");
        RelayConnection relay = relay(RELAY_SECRET)) {
      RegisteredNode joined = awaitNode(node);
      long now = System.currentTimeMillis();
      // quarantined by another gateway or function since the router read the registry
      conduct.save(
          joined.nodeId(),
          new dev.pinaivu.core.reputation.ConductRecord(
              dev.pinaivu.core.reputation.Reputation.fresh(now),
              dev.pinaivu.core.reputation.Standing.Phase.QUARANTINED,
              now + 600_000,
              1,
              0,
              0,
              0,
              0,
              0,
              1,
              1,
              now,
              false,
              0));
      RelayDispatcher dispatcher =
          new RelayDispatcher(
              relay, links, registry, connections, routes, directory(), InstantSource.system());

      assertThatThrownBy(() -> dispatcher.dispatch(joined.nodeId(), job(joined, true)))
          .isInstanceOf(NodeUnavailableException.class)
          .hasMessageContaining("quarantined");
      assertThat(registry.find(joined.nodeId(), System.currentTimeMillis()).orElseThrow().slots())
          .as("no slot taken")
          .isZero();
    }
  }

  @Test
  void aJobOverTheMessageLimit_goesInParts_andIsAnsweredWithAProofOverItsBody() throws Exception {
    try (NodeProcess node =
            NodeProcess.start(
                api.nodeUrl().toString(),
                dir.resolve("node"),
                "--gateway-handshake",
                "HEADERS",
                "--demo-token-ms",
                "1");
        RelayConnection relay = relay(RELAY_SECRET)) {
      RegisteredNode joined = awaitNode(node);
      // ~300 KB: quotes (escaped in the job frame, and again in its parts) and multi-byte text
      String body =
          "{\"model\":\""
              + MODEL
              + "\",\"stream\":true,\"max_tokens\":6,\"messages\":[{\"role\":\"system\","
              + "\"content\":\""
              + "context: \\\"quoted\\\" é € 😀 ".repeat(10_000)
              + "\"},{\"role\":\"user\",\"content\":\"relay these words back\"}]}";
      assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(300_000);

      NodeLinks cutAtTheSecondPart = failingAfter(1);
      RelayDispatcher cut =
          new RelayDispatcher(
              relay,
              cutAtTheSecondPart,
              registry,
              connections,
              routes,
              directory(),
              InstantSource.system());
      assertThatThrownBy(() -> cut.dispatch(joined.nodeId(), job(joined, true, body)))
          .isInstanceOf(NodeUnavailableException.class);
      assertThat(registry.find(joined.nodeId(), System.currentTimeMillis()).orElseThrow().slots())
          .as("the slot is free again after a part failed to go")
          .isZero();

      RelayDispatcher dispatcher =
          new RelayDispatcher(
              relay, links, registry, connections, routes, directory(), InstantSource.system());
      Job job = job(joined, true, body);
      List<Frame.JobFrame> frames;
      SignedProof proof;
      String received;
      try (JobStream stream = dispatcher.dispatch(joined.nodeId(), job)) {
        frames = readToEnd(stream);
        received = stream.receivedResponseSha256();
        proof = stream.proof().get(10, TimeUnit.SECONDS);
      }

      assertThat(frames).first().isInstanceOf(Frame.JobAccept.class);
      assertThat(frames).last().isInstanceOf(Frame.Done.class);
      assertThat(proof).as("the node's proof, relayed").isNotNull();
      Verification<ProofOfInference> verified = proof.verify(joined.entry().publicKey());
      assertThat(verified.valid()).as(verified.reason()).isTrue();
      assertThat(verified.value().requestSha256())
          .as("the node ran, and signed, the body the relay sent in parts")
          .isEqualTo(Sha256.hex(body.getBytes(StandardCharsets.UTF_8)));
      assertThat(verified.value().responseSha256()).isEqualTo(received);
      assertThat(registry.find(joined.nodeId(), System.currentTimeMillis()).orElseThrow().slots())
          .isZero();
    }
  }

  /** The stand-in's management API, whose sends fail (the node gone) after the first {@code n}. */
  private NodeLinks failingAfter(int n) {
    AtomicInteger sent = new AtomicInteger();
    return new NodeLinks() {
      @Override
      public boolean sendText(String connectionId, String text) {
        return sent.incrementAndGet() <= n && links.sendText(connectionId, text);
      }

      @Override
      public void close(String connectionId) {
        links.close(connectionId);
      }
    };
  }
}
