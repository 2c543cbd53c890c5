package dev.pinaivu.gateway;

import dev.pinaivu.core.admin.OperatorAdmin;
import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.chat.ChatCompletionService;
import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.LogSync;
import dev.pinaivu.core.coordinator.SyncedLogReceipts;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.limits.Admission;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.limits.Quota;
import dev.pinaivu.core.limits.Reservations;
import dev.pinaivu.core.metering.ClaimCheck;
import dev.pinaivu.core.metering.JtokkitCounter;
import dev.pinaivu.core.models.ModelCatalog;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.AccountSecrets;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.CoordinatorKeys;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.core.routing.Router;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.stores.NetworkStores;
import dev.pinaivu.core.translog.LogQueries;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.core.usage.AccountQueries;
import dev.pinaivu.core.usage.ReceiptLookup;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.UsageReport;
import dev.pinaivu.gateway.connections.GatewayConnector;
import dev.pinaivu.gateway.coordinator.LogTicker;
import dev.pinaivu.gateway.coordinator.SettlementRetries;
import dev.pinaivu.gateway.coordinator.StoredLog;
import dev.pinaivu.gateway.http.AccountRoutes;
import dev.pinaivu.gateway.http.AdminRoutes;
import dev.pinaivu.gateway.http.AdminToken;
import dev.pinaivu.gateway.http.ApiRoutes;
import dev.pinaivu.gateway.http.LogRoutes;
import dev.pinaivu.gateway.http.MethodOverrideHeaders;
import dev.pinaivu.gateway.http.NodeAdminRoutes;
import dev.pinaivu.gateway.http.ProtocolErrorHandler;
import dev.pinaivu.gateway.nodes.NodeHub;
import dev.pinaivu.gateway.nodes.NodeSocket;
import dev.pinaivu.gateway.observability.GatewayMetrics;
import dev.pinaivu.gateway.observability.MetricsServer;
import dev.pinaivu.gateway.observability.MetricsToken;
import dev.pinaivu.gateway.observability.RequestNotes;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteLogStore;
import dev.pinaivu.gateway.store.SqliteNetworkStores;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway of the one-machine deployment: the OpenAI-compatible API and the WebSocket endpoint
 * for node agents on one Jetty server (virtual threads, so a blocked stream costs no platform
 * thread), with the embedded SQLite store under the data directory.
 */
public final class GatewayServer implements AutoCloseable {
  public static final String NODE_PATH = "/v1/nodes/connect";
  private static final Duration PROOF_WAIT = Duration.ofSeconds(30);
  public static final int DEFAULT_FEE_BPS = 500;

  /** Credit the development account gets once, so that {@code ./pinaivu up} works at once. */
  public static final long DEV_CREDIT_MICROS = 10_000_000;

  static final String DEV_CREDIT_REFERENCE = "dev-initial-credit";

  private final GatewayConfig config;
  private final NetworkStores stores;
  private final NodeHub hub;
  private final ApiKey devKey;
  private final Ledger ledger;
  private final Javalin app;
  private final Coordinator coordinator;
  private final RequestSettler settler;
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  private final ExecutorService settlements = Executors.newVirtualThreadPerTaskExecutor();
  private final LogTicker logTicker;
  private final SettlementRetries settlementRetries;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private volatile MetricsServer metricsServer;

  private GatewayServer(
      GatewayConfig config,
      ChatSettings chatSettings,
      Coordinator coordinator,
      NetworkStores stores) {
    Clock clock = Clock.systemUTC();
    this.config = config;
    this.coordinator = coordinator;
    this.stores = stores;
    DataDir.secure(config.dataDir()); // before any secret in it is read or made
    Secrets secrets = stores.secrets();
    // read first: a missing secret stops the start before anything is written or listening
    AdminToken adminToken = AdminToken.from(secrets);
    AccountSecrets accountSecrets = AccountSecrets.from(secrets);
    ApiKeyStore keys = stores.keys();
    this.devKey = DevApiKey.ensure(config.dataDir(), keys, clock);
    this.ledger = stores.ledger();
    ledger.credit(DevApiKey.ACCOUNT, DEV_CREDIT_MICROS, DEV_CREDIT_REFERENCE);
    KeySpend spend = stores.spend();
    ReceiptStore receipts = stores.receipts();
    CoordinatorKeys knownKeys = stores.coordinatorKeys();
    StoredLog storedLog =
        StoredLog.open(config.logOrigin(), stores.log(), coordinator, receipts, knownKeys, clock);
    TransparencyLog translog = storedLog.log();
    LogSync logSync = storedLog.sync();
    CoordinatorKey identity = identityOf(coordinator);
    knownKeys.remember(identity, clock.millis());
    // the key a node's welcome names: kept here, so that a node's auth never waits on the
    // coordinator or the database; a restart replaces it (and is announced) below
    AtomicReference<Frame.CoordinatorInfo> welcomeKey = new AtomicReference<>(identity.toWire());
    this.hub =
        new NodeHub(
            clock,
            config.heartbeatIntervalMs(),
            welcomeKey::get,
            config.nodePolicy(),
            stores.nodes(),
            stores.conduct());
    Reservations holds = stores.holds();
    this.settler =
        new RequestSettler(
            coordinator,
            new RequestSettler.Stores(
                receipts,
                stores.pending(),
                stores.records(),
                new SyncedLogReceipts(translog, logSync)),
            holds,
            accountSecrets,
            settlements,
            PROOF_WAIT,
            clock);
    settler.addListener(stored -> logSync.grew());
    settler.restoreHolds(); // what is still owed from before a restart stays held
    this.logTicker = new LogTicker(logSync, Duration.ofMillis(config.logCheckpointMs()));
    this.settlementRetries = new SettlementRetries(settler); // owed when a crash came earlier
    if (coordinator instanceof TcpCoordinator tcp) {
      tcp.onConnect(key -> { // a restart: nodes learn its key, and what is owed is billed by it
        welcomeKey.set(key.toWire());
        hub.announce(key.toWire());
        settlementRetries.soon();
      });
    }
    registerMetrics(stores, translog);
    Authenticator authenticator = new Authenticator(keys);
    Admission admission = new Admission(new Quota(ledger, spend), stores.rateLimits());
    ChatCompletionService chat =
        new ChatCompletionService(
            new ChatCompletionService.Parts(
                authenticator,
                admission,
                hub,
                hub,
                new Router(),
                coordinator,
                settler,
                holds,
                config.priceCeilings(),
                new ClaimCheck(new JtokkitCounter())),
            clock,
            chatSettings);
    ApiRoutes api =
        new ApiRoutes(
            chat,
            new ModelCatalog(authenticator, hub, config.priceCeilings()),
            config.maxBodyBytes(),
            config.clientLimits().bodyTimeout());
    AccountRoutes account =
        new AccountRoutes(
            new AccountQueries(
                authenticator,
                new UsageReport(receipts, clock),
                new ReceiptLookup(receipts),
                settler::awaitPending,
                knownKeys::all,
                new ReceiptEvidence(translog)::attach));
    LogRoutes logRoutes = new LogRoutes(new LogQueries(translog));
    AdminRoutes admin =
        new AdminRoutes(
            adminToken,
            new OperatorAdmin(new KeyIssuer(keys, clock), spend, ledger, DevApiKey.ACCOUNT),
            config.maxBodyBytes(),
            config.clientLimits().bodyTimeout());
    NodeAdminRoutes nodeAdmin = new NodeAdminRoutes(adminToken, hub);
    NodeSocket nodes = new NodeSocket(hub);
    this.app =
        Javalin.create(cfg -> {
          // Javalin's Loom pool: a virtual thread per request, no cap, so a stream waiting for
          // its node costs no platform thread and thousands may wait at once
          cfg.concurrency.useVirtualThreads = true;
          cfg.startup.showJavalinBanner = false;
          cfg.http.compressionStrategy = CompressionStrategy.NONE;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          cfg.jetty.addConnector((server, http) -> {
            http.addCustomizer(new MethodOverrideHeaders());
            return GatewayConnector.create(
                server, http, config.host(), config.port(), config.clientLimits());
          });
          // connector-level refusals (bad framing, URI or headers too long) in the OpenAI shape
          cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProtocolErrorHandler()));
          cfg.jetty.modifyWebSocketServletFactory(
              f -> f.setMaxTextMessageSize(NodeSocket.MAX_FRAME_BYTES));
          cfg.requestLogger.http(metrics::requestEnded); // the access log and request metrics
          config.cors().register(cfg); // browsers may call /v1, never /admin (ADR 29)
          cfg.routes.before(RequestNotes::start);
          api.register(cfg.routes);
          account.register(cfg.routes);
          logRoutes.register(cfg.routes);
          admin.register(cfg.routes);
          nodeAdmin.register(cfg.routes);
          cfg.routes.ws(NODE_PATH, nodes::configure);
        });
  }

  /** The gauges of what this gateway holds; request metrics come from every request's end. */
  private void registerMetrics(NetworkStores stores, TransparencyLog translog) {
    metrics.gauge("pinaivu.nodes.live", "Nodes live now (authenticated, offered)", hub::liveNodes);
    metrics.gauge(
        "pinaivu.settlements.pending",
        "Settlements owed: node proofs kept whose receipt is not stored yet",
        stores.owedCount()::getAsLong);
    metrics.gauge(
        "pinaivu.transparency.log.size",
        "Leaves in the transparency log of receipts",
        translog::size);
    for (String reason : NodeHub.REFUSAL_REASONS) {
      metrics.counter(
          "pinaivu.node.admissions.refused",
          "Node connections refused by the protocol or the admission policy (ADR 22)",
          hub,
          h -> h.refusals(reason),
          "reason",
          reason);
    }
    metrics.gauge(
        "pinaivu.nodes.probation",
        "Live nodes on probation (new, or back from quarantine)",
        () -> hub.nodesIn(Standing.Phase.PROBATION));
    metrics.gauge(
        "pinaivu.nodes.quarantined",
        "Live nodes quarantined: neither routed to nor listed",
        () -> hub.nodesIn(Standing.Phase.QUARANTINED));
    metrics.nodes(hub::nodeStats);
  }

  /**
   * Serves {@code GET /metrics} on a listener of its own at {@code host:port} (0: any free port),
   * for holders of the token in the data directory's {@code metrics-token} (ADR 24).
   *
   * @return where it listens
   */
  public InetSocketAddress serveMetrics(String host, int port) throws IOException {
    MetricsServer server =
        MetricsServer.start(host, port, MetricsToken.ensure(config.dataDir()), metrics::scrape);
    metricsServer = server;
    return server.address();
  }

  /** Where the metrics token is kept. */
  public Path metricsTokenFile() {
    return config.dataDir().resolve(MetricsToken.FILE);
  }

  /** Starts with an in-process development coordinator (a software key; receipts say so). */
  public static GatewayServer start(GatewayConfig config) {
    return start(config, ChatSettings.DEFAULT, devCoordinator(config.logOrigin()));
  }

  public static GatewayServer start(GatewayConfig config, Coordinator coordinator) {
    return start(config, ChatSettings.DEFAULT, coordinator);
  }

  public static GatewayServer start(
      GatewayConfig config, ChatSettings chatSettings, Coordinator coordinator) {
    return start(config, chatSettings, coordinator, SqliteLogStore::new);
  }

  /**
   * Keeps the transparency log's leaves in {@code logStore} (given the gateway's database, for the
   * SQLite default) instead of SQLite: DynamoDB on AWS ({@code pinaivu gateway --log-table}).
   */
  public static GatewayServer start(
      GatewayConfig config,
      ChatSettings chatSettings,
      Coordinator coordinator,
      Function<SqliteDatabase, LogStore> logStore) {
    DataDir.secure(config.dataDir()); // before any secret in it is read or made
    return start(
        config,
        chatSettings,
        coordinator,
        SqliteNetworkStores.openIn(config.dataDir(), logStore, Clock.systemUTC()));
  }

  /**
   * Serves from {@code stores} (the data directory's SQLite, or DynamoDB tables other gateways
   * share); the gateway closes them when it stops, or at once when it cannot start.
   */
  public static GatewayServer start(
      GatewayConfig config,
      ChatSettings chatSettings,
      Coordinator coordinator,
      NetworkStores stores) {
    GatewayServer server;
    try {
      server = new GatewayServer(config, chatSettings, coordinator, stores);
    } catch (RuntimeException e) {
      stores.close(); // nothing else is started yet
      throw e;
    }
    try {
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return app.port();
  }

  /** The base URL clients use, ending in {@code /v1}. */
  public String baseUrl() {
    return "http://" + config.host() + ":" + port() + "/v1";
  }

  /** Where node agents connect. */
  public String nodeUrl() {
    return "ws://" + config.host() + ":" + port() + NODE_PATH;
  }

  public ApiKey devKey() {
    return devKey;
  }

  /** Where the admin API's token is kept, when it is the data directory's file. */
  public Path adminTokenFile() {
    return config.dataDir().resolve(AdminToken.FILE);
  }

  /** Where the admin API's token is kept: the data directory's file, or the deployment's secret. */
  public String adminTokenWhere() {
    return stores.secrets().where(AdminToken.FILE);
  }

  /** The development account's credit now, in µUSD. */
  public long devBalanceMicros() {
    return ledger.balance(AccountId.client(DevApiKey.ACCOUNT));
  }

  /** The key id of the coordinator this gateway works with now. */
  public String coordinatorKeyId() {
    return currentIdentity().keyId();
  }

  public int liveNodes() {
    return hub.liveNodes();
  }

  /** The ledger, for operators' tools and tests. */
  public Ledger ledger() {
    return ledger;
  }

  /**
   * An in-process coordinator in development mode, signing the log {@code logOrigin}, for when none
   * runs beside the gateway.
   */
  public static Coordinator devCoordinator(String logOrigin) {
    return CoordinatorService.dev(
        CoordinatorOptions.withFees(new FeePolicy(DEFAULT_FEE_BPS)).withLogOrigin(logOrigin));
  }

  private static CoordinatorKey identityOf(Coordinator coordinator) {
    try {
      return coordinator.identity();
    } catch (CoordinatorUnavailableException e) {
      throw new IllegalStateException("the coordinator is unreachable: " + e.getMessage(), e);
    }
  }

  /** The key announced to nodes; a restarted coordinator has a new one. */
  private CoordinatorKey currentIdentity() {
    return identityOf(coordinator);
  }

  @Override
  public void close() {
    try {
      MetricsServer scraped = metricsServer;
      if (scraped != null) {
        scraped.close();
      }
      hub.close();
      app.stop();
      settlements.shutdown();
      try {
        settlements.awaitTermination(PROOF_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      settlementRetries.close();
      logTicker.close();
      metrics.close();
    } finally {
      stores.close();
      if (coordinator instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing the connection to the coordinator is best effort
        }
      }
    }
  }
}
