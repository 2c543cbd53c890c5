package dev.pinaivu.cli;

import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.OpenedLogs;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.functions.api.ChatHandler;
import dev.pinaivu.functions.api.ServerlessChat;
import dev.pinaivu.functions.nodes.ManagementApiLinks;
import dev.pinaivu.functions.nodes.NodePollHandler;
import dev.pinaivu.functions.nodes.NodeSocketHandler;
import dev.pinaivu.functions.nodes.QueuedNodeLinks;
import dev.pinaivu.functions.queue.SqsJobQueue;
import dev.pinaivu.functions.queue.SqsSettleQueue;
import dev.pinaivu.functions.runtime.RuntimeApiStandIn;
import dev.pinaivu.functions.secrets.SecretsManagerSecrets;
import dev.pinaivu.functions.secrets.SecretsManagerTestServer;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.functions.testsupport.ElasticMq;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Test code: the serverless deployment on loopback, as {@code ServerlessChatIT} and {@code
 * ServerlessChatBench} use it. A stand-in of API Gateway's streaming REST API in front of the real
 * {@link ChatHandler} in its streaming runtime loop (through the Runtime API stand-in); a stand-in
 * of the WebSocket API in front of the real {@link NodeSocketHandler}; a real {@code pinaivu node}
 * process (the demo backend) connected to it; dynalite with the transactions front; secrets from
 * the Secrets Manager test server; the settle queue on ElasticMQ; the coordinator in this JVM (dev
 * mode, not behind TCP). {@link #withoutNode} starts no node process: the attack tests connect
 * their own ({@code hostile.ServerlessHostileNodeIT}).
 */
public final class ServerlessDeployment implements AutoCloseable {
  public static final String ACCOUNT = "acct_serverless";

  /** The coordinator's fee, in basis points of what nodes earn. */
  public static final int FEE_BPS = 500;

  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();

  final String table;
  final DynamoDbNodeRegistry registry;

  /** The {@code pinaivu node} process; null {@link #withoutNode}. */
  final NodeProcess node;

  /** The secret of the key of {@link #ACCOUNT}. */
  public final String key;

  /** The coordinator the chat function reaches; its settlements can be cut. */
  final CuttableCoordinator coordinator;

  /**
   * The settle queue on ElasticMQ (visibility 1 s, to its dead-letter queue after 2 receives),
   * which the chat function reminds with no delay.
   */
  final String settleQueue;

  final String settleDeadLetters;

  /** The chat function's composition, as one execution environment builds it. */
  final ServerlessChat chat;

  private final SecretsManagerTestServer secrets;
  private final ApiGatewayWebSocketStandIn sockets;
  private final RuntimeApiStandIn runtimeApi;
  private final RuntimeApiStandIn.Loop loop;
  private final ApiGatewayRestStandIn rest;

  /**
   * @param credit micro-dollars the key's account starts with
   * @param nodeArgs more arguments for the node agent (e.g. {@code --upstream URL}); none runs its
   *     demo backend
   */
  ServerlessDeployment(Path dir, long credit, String... nodeArgs) throws Exception {
    this(dir, credit, Node.WEBSOCKET, nodeArgs);
  }

  /**
   * As {@link #ServerlessDeployment(Path, long, String...)}, the node polling the REST API's {@code
   * /v1/nodes/exchange} (ADR 39) instead of holding a WebSocket.
   */
  static ServerlessDeployment polling(Path dir, long credit, String... nodeArgs) throws Exception {
    return new ServerlessDeployment(dir, credit, Node.POLLING, nodeArgs);
  }

  /** The deployment with no node: nodes connect to {@link #nodeUrl()} themselves. */
  public static ServerlessDeployment withoutNode(long credit) throws Exception {
    return new ServerlessDeployment(null, credit, Node.NONE);
  }

  /** The {@code pinaivu node} process the deployment starts, and how it reaches the deployment. */
  private enum Node {
    WEBSOCKET,
    POLLING,
    NONE
  }

  private ServerlessDeployment(Path dir, long credit, Node mode, String... nodeArgs)
      throws Exception {
    // the SDK clients sign their calls; the stand-ins and dynalite check no signature
    System.setProperty("aws.accessKeyId", "stand-in");
    System.setProperty("aws.secretAccessKey", "stand-in");
    String prefix = "chat-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    DynamoDbNetworkStores.createIfAbsent(FRONT.client(), prefix);
    table = DynamoDbNetworkStores.networkTable(prefix);
    secrets = new SecretsManagerTestServer();
    secrets.put("pinaivu/relay-secret", "relay-" + UUID.randomUUID());
    secrets.put("pinaivu/account-ref-secret", HexFormat.of().formatHex(new byte[32]));
    SecretsManagerSecrets deployment = new SecretsManagerSecrets(secrets.client(), "pinaivu/");

    CoordinatorService service =
        OpenedLogs.dev(CoordinatorOptions.withFees(new FeePolicy(FEE_BPS)));
    coordinator = new CuttableCoordinator(service);
    registry = new DynamoDbNodeRegistry(FRONT.client(), table);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(FRONT.client(), table);
    NodeSocketHandler[] socketHandler = new NodeSocketHandler[1];
    sockets = new ApiGatewayWebSocketStandIn(event -> socketHandler[0].handleRequest(event, null));
    ManagementApiLinks links = ManagementApiLinks.forStage("us-east-1", sockets.managementApi());
    NodeSocketHandler.Parts nodeParts =
        new NodeSocketHandler.Parts(
            new DynamoDbNodeConnections(FRONT.client(), table),
            registry,
            new DynamoDbConductRecords(FRONT.client(), table),
            ConductRules.DEFAULTS,
            NodePolicy.DEFAULTS.admission(),
            endpoint -> links,
            keys::all,
            1_000,
            InstantSource.system(),
            new DynamoDbJobRoutes(FRONT.client(), table),
            () -> deployment.secret("relay-secret", () -> null).getBytes(StandardCharsets.UTF_8));
    socketHandler[0] = new NodeSocketHandler(nodeParts);
    SqsClient sqs = ElasticMq.shared().client();
    SqsJobQueue jobs = new SqsJobQueue(sqs, prefix + "jobs-");
    settleDeadLetters = sqs.createQueue(b -> b.queueName(prefix + "settle-dlq")).queueUrl();
    String deadLetterArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(settleDeadLetters).attributeNamesWithStrings("QueueArn"))
            .attributesAsStrings()
            .get("QueueArn");
    settleQueue =
        sqs.createQueue(b ->
                b.queueName(prefix + "settle")
                    .attributesWithStrings(
                        Map.of(
                            "VisibilityTimeout",
                            "1",
                            "RedrivePolicy",
                            "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\""
                                + deadLetterArn
                                + "\"}")))
            .queueUrl();
    // the chat function's init records the coordinator's key, which the node is welcomed with
    chat =
        new ServerlessChat(
            new ServerlessChat.Clients(
                FRONT.client(),
                prefix,
                coordinator,
                deployment,
                sockets.nodeUrl(),
                new QueuedNodeLinks(links, jobs, InstantSource.system()),
                new SqsSettleQueue(sqs, settleQueue, Duration.ZERO)));
    runtimeApi = new RuntimeApiStandIn();
    loop = runtimeApi.serve(new ChatHandler(chat));
    NodePollHandler poll = new NodePollHandler(nodeParts, jobs, links);
    rest =
        new ApiGatewayRestStandIn(
            runtimeApi, Map.of("/v1/nodes/exchange", event -> poll.handleRequest(event, null)));
    node = mode == Node.NONE ? null : startNode(dir, mode == Node.POLLING, nodeArgs);
    KeyIssuer issuer =
        new KeyIssuer(new DynamoDbApiKeyStore(FRONT.client(), table), Clock.systemUTC());
    key =
        issuer
            .issue(new NewKey("serverless", ACCOUNT, Scope.all(), Set.of(), null, null, null))
            .key()
            .reveal();
    ledger().credit(ACCOUNT, credit, "pay_serverless");
  }

  private NodeProcess startNode(Path dir, boolean polling, String... nodeArgs) throws Exception {
    String[] args = new String[nodeArgs.length + 2];
    args[0] = "--gateway-handshake";
    args[1] = polling ? "POLL" : "HEADERS";
    System.arraycopy(nodeArgs, 0, args, 2, nodeArgs.length);
    NodeProcess started =
        NodeProcess.start(
            polling ? rest.baseUrl() : sockets.nodeUrl().toString(), dir.resolve("node"), args);
    try {
      awaitLive(1);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the node never joined; it said:\n" + started.output(), e);
    }
    return started;
  }

  /** Waits up to 30 s until at least {@code nodes} nodes are in the registry. */
  public void awaitLive(int nodes) throws InterruptedException {
    for (int i = 0; i < 300 && registry.all(System.currentTimeMillis()).size() < nodes; i++) {
      Thread.sleep(100);
    }
    int live = registry.all(System.currentTimeMillis()).size();
    if (live < nodes) {
      throw new IllegalStateException(live + " node(s) joined within 30 s, not " + nodes);
    }
  }

  /**
   * How many messages (each one {@code $default} invocation) {@code node} has sent on the
   * connection the registry holds it on; 0 when it holds none.
   */
  public int messagesFrom(dev.pinaivu.core.node.NodeId node) {
    return registry
        .find(node, System.currentTimeMillis())
        .map(n -> sockets.messagesFrom(n.entry().connection().substring("ws/".length())))
        .orElse(0);
  }

  /** How many nodes the registry holds now. */
  public int liveNodes() {
    return registry.all(System.currentTimeMillis()).size();
  }

  /** Where nodes connect: the WebSocket API stand-in's stage. */
  public java.net.URI nodeUrl() {
    return sockets.nodeUrl();
  }

  /**
   * Waits until every invocation so far has ended: a client holds a whole answer before its
   * invocation does, which settles after the last bytes.
   */
  public void awaitInvocationsEnded() throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!runtimeApi.allResponsesEnded()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("an invocation is still running after 30 s");
      }
      Thread.sleep(20);
    }
  }

  /** The OpenAI SDK's base URL. */
  public String baseUrl() {
    return rest.baseUrl();
  }

  /**
   * The receipt stored for {@code requestId}, waiting up to 10 s for the settlement to store it.
   */
  dev.pinaivu.core.usage.StoredReceipt awaitReceipt(String requestId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var found = receipt(requestId);
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no receipt for " + requestId + (node == null ? "" : "; the node said:\n" + node.output()));
  }

  /** The receipt stored for {@code requestId}, if any. */
  public java.util.Optional<dev.pinaivu.core.usage.StoredReceipt> receipt(String requestId) {
    return new dev.pinaivu.functions.store.DynamoDbReceiptStore(FRONT.client(), table)
        .find(dev.pinaivu.core.id.RequestId.parse(requestId));
  }

  public DynamoDbLedger ledger() {
    return new DynamoDbLedger(FRONT.client(), table, Clock.systemUTC());
  }

  static DynamoTransactionsFront front() {
    return FRONT;
  }

  @Override
  public void close() throws Exception {
    rest.close();
    runtimeApi.close();
    loop.join(Duration.ofSeconds(10));
    if (node != null) {
      node.close();
    }
    sockets.close();
    secrets.close();
  }
}
