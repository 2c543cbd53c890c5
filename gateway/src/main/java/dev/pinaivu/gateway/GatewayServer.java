package dev.pinaivu.gateway;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.chat.ChatCompletionService;
import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.models.ModelCatalog;
import dev.pinaivu.core.routing.Router;
import dev.pinaivu.gateway.http.ApiRoutes;
import dev.pinaivu.gateway.nodes.NodeHub;
import dev.pinaivu.gateway.nodes.NodeSocket;
import dev.pinaivu.gateway.store.SqliteApiKeyStore;
import dev.pinaivu.gateway.store.SqliteDatabase;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.time.Clock;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The gateway of the one-machine deployment: the OpenAI-compatible API and the WebSocket endpoint
 * for node agents on one Jetty server (virtual threads, so a blocked stream costs no platform
 * thread), with the embedded SQLite store under the data directory.
 */
public final class GatewayServer implements AutoCloseable {
  public static final String NODE_PATH = "/v1/nodes/connect";
  private static final int ACCEPT_BACKLOG = 4096;
  private static final int MAX_CONCURRENT_REQUESTS = 100_000;

  private final GatewayConfig config;
  private final SqliteDatabase db;
  private final NodeHub hub;
  private final ApiKey devKey;
  private final Javalin app;

  private GatewayServer(GatewayConfig config, ChatSettings chatSettings) {
    Clock clock = Clock.systemUTC();
    this.config = config;
    this.db = SqliteDatabase.open(config.dataDir().resolve("pinaivu.db"));
    ApiKeyStore keys = new SqliteApiKeyStore(db);
    this.devKey = DevApiKey.ensure(config.dataDir(), keys, clock);
    this.hub = new NodeHub(clock, config.heartbeatIntervalMs());
    Authenticator authenticator = new Authenticator(keys);
    ChatCompletionService chat =
        new ChatCompletionService(authenticator, hub, hub, new Router(), clock, chatSettings);
    ApiRoutes api =
        new ApiRoutes(chat, new ModelCatalog(authenticator, hub), config.maxBodyBytes());
    NodeSocket nodes = new NodeSocket(hub);
    this.app =
        Javalin.create(cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          cfg.startup.showJavalinBanner = false;
          cfg.http.compressionStrategy = CompressionStrategy.NONE;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector =
                new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(config.host());
            connector.setPort(config.port());
            // the JDK's default backlog of 50 drops connections when thousands of clients connect
            // at once; Linux caps this at net.core.somaxconn
            connector.setAcceptQueueSize(ACCEPT_BACKLOG);
            return connector;
          });
          cfg.jetty.modifyWebSocketServletFactory(
              f -> f.setMaxTextMessageSize(NodeSocket.MAX_FRAME_BYTES));
          api.register(cfg.routes);
          cfg.routes.ws(NODE_PATH, nodes::configure);
        });
  }

  /**
   * Every request on its own virtual thread, without the default cap of 200 concurrent tasks: a
   * stream waiting for its node costs no platform thread, so thousands may wait at once.
   */
  private static VirtualThreadPool virtualThreads() {
    VirtualThreadPool pool = new VirtualThreadPool();
    pool.setName("gateway");
    pool.setMaxThreads(MAX_CONCURRENT_REQUESTS);
    return pool;
  }

  public static GatewayServer start(GatewayConfig config) {
    return start(config, ChatSettings.DEFAULT);
  }

  public static GatewayServer start(GatewayConfig config, ChatSettings chatSettings) {
    GatewayServer server = new GatewayServer(config, chatSettings);
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

  public int liveNodes() {
    return hub.liveNodes();
  }

  @Override
  public void close() {
    try {
      hub.close();
      app.stop();
    } finally {
      db.close();
    }
  }
}
