package dev.pinaivu.gateway.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} on a listener of its own, apart from the API's port (ADR 24): it can stay on
 * loopback or a private interface while the API faces the internet, and it answers while the API's
 * connection caps are full. Every scrape must carry {@code Authorization: Bearer <metrics token>}.
 * One thread serves it: scrapes are rare, and a flood of them cannot take more.
 */
public final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Serves {@code scrape} on {@code host:port} (0: any free port) for holders of {@code token}. */
  public static MetricsServer start(
      String host, int port, MetricsToken token, Supplier<String> scrape) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "metrics-http");
          t.setDaemon(true);
          return t;
        });
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(exchange, token, scrape));
    server.start();
    return new MetricsServer(server, executor);
  }

  private static void answer(HttpExchange exchange, MetricsToken token, Supplier<String> scrape)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        send(exchange, 404, "not found\n", "text/plain; charset=utf-8");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "method not allowed\n", "text/plain; charset=utf-8");
      } else if (!token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"metrics\"");
        send(
            exchange,
            401,
            "needs 'Authorization: Bearer <token>' (the gateway data directory's "
                + MetricsToken.FILE
                + ")\n",
            "text/plain; charset=utf-8");
      } else {
        send(exchange, 200, scrape.get(), CONTENT_TYPE);
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
