package dev.pinaivu.cli;

import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.testsupport.DynamoTransactionsFront;
import dev.pinaivu.gateway.DataDir;
import dev.pinaivu.gateway.DataDirSecrets;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.connections.ClientLimits;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteLogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A gateway with real node agent processes, for the end-to-end tests. Other resources of a test
 * (in-JVM nodes, fake servers) can be handed to it with {@link #adopt} to be closed with it.
 */
public final class Network implements AutoCloseable {
  public final GatewayServer gateway;
  final List<NodeProcess> nodes = new ArrayList<>();
  private final List<AutoCloseable> adopted = new ArrayList<>();
  private final Path dir;

  public Network(Path dir) {
    this.dir = dir;
    this.gateway = GatewayServer.start(base(dir, 0));
  }

  /**
   * Every constructor's gateway: data in {@code dir/gateway}, heartbeats each second, nodes taken
   * at their word (ADR 22). The tests of other things than node conduct need that, so that one
   * test's injected failure does not quarantine the node the next test expects; the conduct tests
   * ({@code hostile/SybilSwarmIT}) set the real rules.
   */
  private static GatewayConfig base(Path dir, int port) {
    GatewayConfig config =
        GatewayConfig.defaults(dir.resolve("gateway"), port).withHeartbeatMs(1000);
    return config.withNodePolicy(config.nodePolicy().withConduct(ConductRules.TRUSTING));
  }

  /**
   * A gateway as {@link #Network(Path)} starts it, with every store of the network on DynamoDB: the
   * network table {@code prefix} (made here) on dynalite behind the test-only transactions front,
   * and the log in the data directory's database, as {@code pinaivu gateway --store dynamodb} runs
   * without {@code --log-table}.
   */
  public static Network onDynamoDb(Path dir, String prefix) {
    return new Network(dir, prefix, 0, null);
  }

  /**
   * A gateway as {@link #onDynamoDb(Path, String)} makes it, on {@code port}, using {@code
   * coordinator} (one in its own process), as {@code pinaivu gateway --store dynamodb} runs.
   */
  public static Network onDynamoDb(Path dir, String prefix, int port, Coordinator coordinator) {
    return new Network(dir, prefix, port, coordinator);
  }

  private Network(Path dir, String prefix, int port, Coordinator coordinator) {
    this.dir = dir;
    GatewayConfig config = base(dir, port);
    DataDir.secure(config.dataDir());
    DynamoDbClient client = DynamoTransactionsFront.shared().client();
    DynamoDbNetworkStores.createIfAbsent(client, prefix);
    SqliteDatabase logDb = SqliteDatabase.openIn(config.dataDir());
    this.gateway =
        GatewayServer.start(
            config,
            ChatSettings.DEFAULT,
            coordinator != null ? coordinator : GatewayServer.devCoordinator(config.logOrigin()),
            DynamoDbNetworkStores.on(
                client,
                prefix,
                new SqliteLogStore(logDb),
                new DataDirSecrets(config.dataDir()),
                logDb::close));
  }

  /** A gateway as {@link #Network(Path)} starts it, configured further by {@code tweak}. */
  public Network(Path dir, java.util.function.UnaryOperator<GatewayConfig> tweak) {
    this.dir = dir;
    this.gateway = GatewayServer.start(tweak.apply(base(dir, 0)));
  }

  /**
   * A gateway on {@code port} (0: any) with the data directory {@code dir/gateway}, using {@code
   * coordinator}: one in its own process ({@link CoordinatorProcess#client}), as {@code up} runs.
   */
  public Network(Path dir, int port, Coordinator coordinator) {
    this.dir = dir;
    this.gateway = GatewayServer.start(base(dir, port), coordinator);
  }

  /**
   * A gateway whose chat deadlines are {@code settings} (ADR 23), with its client limits, taking
   * nodes at their word like the others: the deadline tests measure what one stalling node costs
   * honest users, so it must not be quarantined after its first miss.
   */
  public Network(Path dir, ChatSettings settings, ClientLimits limits) {
    this.dir = dir;
    this.gateway =
        GatewayServer.start(
            base(dir, 0).withClientLimits(limits),
            settings,
            GatewayServer.devCoordinator(
                dev.pinaivu.core.coordinator.CoordinatorOptions.DEFAULT_LOG_ORIGIN));
  }

  public NodeProcess addNode(String name, String... args) throws Exception {
    NodeProcess node = NodeProcess.start(gateway.baseUrl(), dir.resolve(name), args);
    nodes.add(node);
    return node;
  }

  /** Closes {@code resource} when the network closes, before the gateway; returns it. */
  public synchronized <T extends AutoCloseable> T adopt(T resource) {
    adopted.add(resource);
    return resource;
  }

  /** Waits until {@code count} nodes are live, or fails showing what the agents printed. */
  public void awaitLive(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (gateway.liveNodes() < count) {
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        nodes.forEach(n -> logs.append(n.log).append(":\n").append(n.output()).append('\n'));
        throw new AssertionError(gateway.liveNodes() + " of " + count + " nodes live\n" + logs);
      }
      Thread.sleep(50);
    }
  }

  /** The development key (account {@code acct_dev}, every scope, no limits). */
  public String key() {
    return gateway.devKey().reveal();
  }

  /**
   * The official OpenAI Java SDK pointed at this network with its dev key, retries off so that a
   * test sees each answer as the gateway gave it.
   */
  public com.openai.client.OpenAIClient sdkClient() {
    return com.openai.client.okhttp.OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl())
        .apiKey(key())
        .maxRetries(0)
        .build();
  }

  public String baseUrl() {
    return gateway.baseUrl();
  }

  /** Where node agents connect (WebSocket). */
  public String nodeUrl() {
    return gateway.nodeUrl();
  }

  /** The admin API's token, as an operator reads it from the data directory. */
  public String adminToken() throws IOException {
    return Files.readString(gateway.adminTokenFile()).strip();
  }

  @Override
  public void close() throws Exception {
    List<AutoCloseable> others;
    synchronized (this) {
      others = List.copyOf(adopted);
    }
    for (AutoCloseable c : others.reversed()) {
      c.close();
    }
    for (NodeProcess n : nodes) {
      n.close();
    }
    gateway.close();
  }
}
