package dev.pinaivu.functions.api;

import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.billing.LoggedReceipts;
import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.billing.QueuedPendingSettlements;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.billing.SettleQueue;
import dev.pinaivu.core.chat.ChatCompletionService;
import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.limits.Admission;
import dev.pinaivu.core.limits.Quota;
import dev.pinaivu.core.metering.ClaimCheck;
import dev.pinaivu.core.metering.JtokkitCounter;
import dev.pinaivu.core.receipt.AccountSecrets;
import dev.pinaivu.core.responses.ResponsesService;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.core.routing.Router;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.functions.AwsClients;
import dev.pinaivu.functions.coordinator.PublishedCoordinator;
import dev.pinaivu.functions.dispatch.RelayConnection;
import dev.pinaivu.functions.dispatch.RelayDispatcher;
import dev.pinaivu.functions.nodes.ManagementApiLinks;
import dev.pinaivu.functions.nodes.NodeLinks;
import dev.pinaivu.functions.nodes.NodeSocketEnvironment;
import dev.pinaivu.functions.nodes.RelayAuth;
import dev.pinaivu.functions.queue.SqsSettleQueue;
import dev.pinaivu.functions.secrets.SecretsManagerClients;
import dev.pinaivu.functions.secrets.SecretsManagerSecrets;
import dev.pinaivu.functions.store.DynamoDbClients;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbKeySpend;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.store.DynamoDbPendingSettlements;
import dev.pinaivu.functions.store.DynamoDbRateLimits;
import dev.pinaivu.functions.store.DynamoDbReceiptStore;
import dev.pinaivu.functions.store.DynamoDbReservations;
import dev.pinaivu.functions.store.DynamoDbSettlementRecords;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The chat function's composition root (ADR 26, 27): the chat use case as the local gateway runs
 * it, over the network table's stores, the coordinator reached over TCP with the parent secret (ADR
 * 16), and dispatch to nodes on the WebSocket API with this environment's relay connection. Built
 * once per execution environment, before the SnapStart snapshot. Variables:
 *
 * <ul>
 *   <li>{@value ServerlessNetwork#TABLE_PREFIX}, optional {@value
 *       ServerlessNetwork#DYNAMODB_ENDPOINT}, as for every function;
 *   <li>{@value #COORDINATOR_PATH} (and optional {@value #SSM_ENDPOINT}): the Parameter Store path
 *       where the coordinator stack publishes the parent's address and secret (ADR 37); or else
 *       {@value #COORDINATOR}, {@code host:port} of the coordinator's parent, with {@code
 *       parent-secret} in the deployment's secrets;
 *   <li>{@value #NODE_SOCKET_URL}: the nodes' WebSocket API stage, {@code wss://<domain>/<stage>}
 *       (the relay connects there; job frames go through its management API);
 *   <li>optional {@code PINAIVU_JOB_QUEUE_PREFIX} (and {@value #SQS_ENDPOINT}): the polling nodes'
 *       job queues (ADR 39): jobs for a node that polls go to its queue instead of a connection;
 *   <li>optional {@value #SETTLE_QUEUE_URL} (and {@value #SQS_ENDPOINT}): the settle queue, which
 *       gets a reminder for every settlement kept (ADR 36); without it only the sweep completes
 *       what a dead invocation left owed;
 *   <li>{@value #SECRET_PREFIX} (and optional {@value #SECRETS_ENDPOINT}): the deployment's secrets
 *       in Secrets Manager: {@code relay-secret}, {@code account-ref-secret}, {@code parent-secret}
 *       (64 hex digits).
 * </ul>
 */
public final class ServerlessChat {
  public static final String COORDINATOR = "PINAIVU_COORDINATOR";
  public static final String COORDINATOR_PATH = "PINAIVU_COORDINATOR_PARAMETERS";
  public static final String SSM_ENDPOINT = "PINAIVU_SSM_ENDPOINT";
  public static final String NODE_SOCKET_URL = "PINAIVU_NODE_SOCKET_URL";
  public static final String SECRET_PREFIX = "PINAIVU_SECRET_PREFIX";
  public static final String SECRETS_ENDPOINT = "PINAIVU_SECRETS_ENDPOINT";
  public static final String SETTLE_QUEUE_URL = "PINAIVU_SETTLE_QUEUE_URL";
  public static final String SQS_ENDPOINT = "PINAIVU_SQS_ENDPOINT";

  /**
   * How long a settle reminder waits before delivery: past the request path's own settlement, which
   * follows the answer's last bytes at once (ADR 36).
   */
  static final Duration REMINDER_DELAY = Duration.ofSeconds(30);

  /** The coordinator's parent secret, in the deployment's secrets (ADR 16). */
  public static final String PARENT_SECRET = "parent-secret";

  /** How long a settlement waits for the node's proof: as the local gateway. */
  static final Duration PROOF_WAIT = Duration.ofSeconds(30);

  private static volatile ServerlessChat shared;
  private static volatile RequestSettler sharedSettler;

  private final ChatCompletionService chat;
  private final ResponsesService responses;
  private final RelayConnection relay;
  private final RequestSettler settler;
  private final Coordinator coordinator;

  /** The parts an environment reaches: its clients, built from the variables or by a test. */
  public record Clients(
      DynamoDbClient dynamo,
      String prefix,
      Coordinator coordinator,
      Secrets secrets,
      URI nodeSocket,
      NodeLinks links,
      SettleQueue settleQueue) {
    /** Without a settle queue: what an invocation leaves owed waits for the sweep. */
    public Clients(
        DynamoDbClient dynamo,
        String prefix,
        Coordinator coordinator,
        Secrets secrets,
        URI nodeSocket,
        NodeLinks links) {
      this(dynamo, prefix, coordinator, secrets, nodeSocket, links, null);
    }
  }

  public ServerlessChat(Clients clients) {
    Clock clock = Clock.systemUTC();
    this.coordinator = clients.coordinator();
    DynamoDbClient dynamo = clients.dynamo();
    String table = DynamoDbNetworkStores.networkTable(clients.prefix());
    DynamoDbLedger ledger = new DynamoDbLedger(dynamo, table, clock);
    DynamoDbKeySpend spend = new DynamoDbKeySpend(dynamo, table);
    DynamoDbReservations holds = new DynamoDbReservations(dynamo, table);
    DynamoDbNodeRegistry registry = new DynamoDbNodeRegistry(dynamo, table);
    DynamoDbNodeConnections connections = new DynamoDbNodeConnections(dynamo, table);
    Secrets secrets = clients.secrets(); // each read when first needed, then kept by the adapter
    this.relay =
        new RelayConnection(
            HttpClient.newHttpClient(),
            clients.nodeSocket(),
            () ->
                secrets.secret(RelayAuth.SECRET_NAME, () -> null).getBytes(StandardCharsets.UTF_8),
            clock);
    this.settler =
        settler(dynamo, table, clients.coordinator(), secrets, clients.settleQueue(), clock);
    RegistryDirectory directory = ServerlessNetwork.directory(registry, dynamo, table, clock);
    Authenticator authenticator = ServerlessNetwork.authenticator(dynamo, table, clock);
    this.chat =
        new ChatCompletionService(
            new ChatCompletionService.Parts(
                authenticator,
                new Admission(
                    new Quota(ledger, spend), new DynamoDbRateLimits(dynamo, table, clock)),
                directory,
                new RelayDispatcher(
                    relay,
                    clients.links(),
                    registry,
                    connections,
                    new DynamoDbJobRoutes(dynamo, table),
                    directory,
                    clock),
                new Router(),
                clients.coordinator(),
                settler,
                holds,
                PriceCeilings.DEFAULTS,
                new ClaimCheck(new JtokkitCounter())),
            clock,
            ChatSettings.DEFAULT);
    this.responses = new ResponsesService(chat);
  }

  /**
   * The settlements over the network table, and the coordinator's key kept there: the key nodes are
   * welcomed with (by the socket function) and check dispatch tokens against, read again from a
   * restarted coordinator.
   */
  private static RequestSettler settler(
      DynamoDbClient dynamo,
      String table,
      Coordinator coordinator,
      Secrets secrets,
      SettleQueue settleQueue,
      Clock clock) {
    RequestSettler settler =
        new RequestSettler(
            coordinator,
            new RequestSettler.Stores(
                new DynamoDbReceiptStore(dynamo, table),
                owed(new DynamoDbPendingSettlements(dynamo, table), settleQueue),
                new DynamoDbSettlementRecords(dynamo, table, clock),
                LoggedReceipts.NONE), // the log's proofs are the log service's (ADR 27)
            new DynamoDbReservations(dynamo, table),
            AccountSecrets.from(secrets),
            Runnable::run, // before the invocation ends: nothing runs after it is frozen
            PROOF_WAIT,
            clock);
    DynamoDbCoordinatorKeys keys = new DynamoDbCoordinatorKeys(dynamo, table);
    try {
      keys.remember(coordinator.identity(), clock.millis());
    } catch (CoordinatorUnavailableException e) {
      throw new IllegalStateException("the coordinator is unreachable: " + e.getMessage(), e);
    }
    if (coordinator instanceof TcpCoordinator tcp) {
      tcp.onConnect(key -> keys.remember(key, clock.millis())); // a restarted coordinator's key
    }
    return settler;
  }

  private static PendingSettlements owed(PendingSettlements store, SettleQueue queue) {
    return queue == null ? store : new QueuedPendingSettlements(store, queue);
  }

  /** The environment's chat, built on first use from {@link System#getenv()}. */
  static ServerlessChat shared() {
    ServerlessChat built = shared;
    if (built == null) {
      synchronized (ServerlessChat.class) {
        built = shared;
        if (built == null) {
          built = new ServerlessChat(fromEnvironment(System.getenv()));
          shared = built;
        }
      }
    }
    return built;
  }

  /**
   * The settle functions' settlements, built on first use from {@link System#getenv()}: only what
   * settling needs (ADR 36). The chat's own parts (the relay's HTTP client, the token counter and
   * its vocabulary, the management API's client) are not built: they cost a settle function's cold
   * start some 0.5 s and are never used there (BENCHMARKS.md, 2026-12-04).
   */
  static RequestSettler sharedSettler() {
    RequestSettler built = sharedSettler;
    if (built == null) {
      synchronized (ServerlessChat.class) {
        built = sharedSettler;
        if (built == null) {
          built = settlerFromEnvironment(System.getenv());
          sharedSettler = built;
        }
      }
    }
    return built;
  }

  /**
   * The settlements the variables in {@code env} describe: the chat's variables, less {@value
   * #NODE_SOCKET_URL}, which settling does not use.
   */
  public static RequestSettler settlerFromEnvironment(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    String prefix = ServerlessNetwork.required(env, ServerlessNetwork.TABLE_PREFIX);
    Secrets secrets = secrets(env, region);
    return settler(
        dynamo(env, region),
        DynamoDbNetworkStores.networkTable(prefix),
        coordinator(env, region, secrets),
        secrets,
        settleQueue(env, region),
        Clock.systemUTC());
  }

  /** The clients the variables in {@code env} describe; a missing one is named. */
  public static Clients fromEnvironment(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    String prefix = ServerlessNetwork.required(env, ServerlessNetwork.TABLE_PREFIX);
    Secrets secrets = secrets(env, region);
    URI socket = URI.create(ServerlessNetwork.required(env, NODE_SOCKET_URL));
    if (!"wss".equals(socket.getScheme()) && !"ws".equals(socket.getScheme())) {
      throw new IllegalStateException(NODE_SOCKET_URL + " is not a ws(s):// URL: " + socket);
    }
    return new Clients(
        dynamo(env, region),
        prefix,
        coordinator(env, region, secrets),
        secrets,
        socket,
        NodeSocketEnvironment.links(env, ManagementApiLinks.forSocketUrl(region, socket)),
        settleQueue(env, region));
  }

  private static DynamoDbClient dynamo(Map<String, String> env, String region) {
    String endpoint = env.get(ServerlessNetwork.DYNAMODB_ENDPOINT);
    return DynamoDbClients.create(region, endpoint == null ? null : URI.create(endpoint));
  }

  private static Secrets secrets(Map<String, String> env, String region) {
    String endpoint = env.get(SECRETS_ENDPOINT);
    return new SecretsManagerSecrets(
        SecretsManagerClients.create(region, endpoint == null ? null : URI.create(endpoint)),
        env.getOrDefault(SECRET_PREFIX, ""));
  }

  /** The settle queue, or null when the deployment names none. */
  private static SettleQueue settleQueue(Map<String, String> env, String region) {
    String queue = env.get(SETTLE_QUEUE_URL);
    if (queue == null) {
      return null;
    }
    String endpoint = env.get(SQS_ENDPOINT);
    return new SqsSettleQueue(
        AwsClients.create(
            SqsClient.builder(), region, endpoint == null ? null : URI.create(endpoint)),
        queue,
        REMINDER_DELAY);
  }

  /**
   * The settlements: what the sweep and the settle function complete when an invocation died owing
   * one.
   */
  RequestSettler settler() {
    return settler;
  }

  /**
   * The coordinator: as its stack publishes it in Parameter Store when {@value #COORDINATOR_PATH}
   * is set (on AWS, ADR 37), else at {@value #COORDINATOR} with the parent secret in the
   * deployment's secrets.
   */
  private static TcpCoordinator coordinator(
      Map<String, String> env, String region, Secrets secrets) {
    String path = env.get(COORDINATOR_PATH);
    if (path != null) {
      String ssmEndpoint = env.get(SSM_ENDPOINT);
      return new PublishedCoordinator(
              AwsClients.create(
                  SsmClient.builder(),
                  region,
                  ssmEndpoint == null ? null : URI.create(ssmEndpoint)),
              path,
              InstantSource.system())
          .client();
    }
    String coordinator = ServerlessNetwork.required(env, COORDINATOR);
    int colon = coordinator.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalStateException(COORDINATOR + " is not host:port: " + coordinator);
    }
    return new TcpCoordinator(
        new InetSocketAddress(
            coordinator.substring(0, colon), Integer.parseInt(coordinator.substring(colon + 1))),
        ParentSecret.parse(secrets.secret(PARENT_SECRET, () -> null)));
  }

  ChatHandler.Completion chatCompletions() {
    return chat::complete;
  }

  ChatHandler.Completion responses() {
    return responses::create;
  }

  /**
   * SnapStart's checkpoint (ADR 26): no socket may be in the snapshot, which every restored
   * environment shares. The relay connection and the coordinator's connection are closed; each
   * reopens on first use after the restore (the coordinator's with a new handshake and nonces). The
   * SDK clients need nothing: their URL-connection client pools through the JDK's keep-alive cache,
   * which hands out no connection idle longer than the server's keep-alive timeout (5 s when it
   * names none), and a restore comes minutes or days after the snapshot.
   */
  void beforeCheckpoint() {
    relay.close();
    if (coordinator instanceof TcpCoordinator tcp) {
      tcp.disconnect();
    }
  }
}
