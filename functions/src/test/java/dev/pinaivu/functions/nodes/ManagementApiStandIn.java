package dev.pinaivu.functions.nodes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test stand-in for API Gateway's management API of one WebSocket stage, on loopback: {@code POST
 * /<stage>/@connections/{id}} records the frame sent to an open connection, {@code DELETE} closes
 * it, and either answers 410 {@code GoneException} for a connection that is not open, as AWS does.
 * The SDK client ({@link ManagementApiLinks}) talks to it over real HTTP. Not AWS.
 */
final class ManagementApiStandIn implements AutoCloseable {
  private final HttpServer server;
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Frame>> sent = new ConcurrentHashMap<>();
  private final Set<String> closed = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> raw = new ConcurrentHashMap<>();

  ManagementApiStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/prod/@connections/", this::handle);
    server.start();
  }

  /** The stage's endpoint, as {@link ManagementApiLinks#forStage} takes it. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
  }

  /** A connection API Gateway holds open (its {@code $connect} succeeded). */
  void opened(String connectionId) {
    open.add(connectionId);
  }

  List<Frame> sentTo(String connectionId) {
    return sent.getOrDefault(connectionId, List.of());
  }

  /** The messages posted to {@code connectionId}, as posted. */
  List<String> rawTo(String connectionId) {
    return raw.getOrDefault(connectionId, List.of());
  }

  boolean closed(String connectionId) {
    return closed.contains(connectionId);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String id =
        java.net.URLDecoder.decode(
            exchange.getRequestURI().getRawPath().substring("/prod/@connections/".length()),
            StandardCharsets.UTF_8);
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (!open.contains(id)) {
      reply(exchange, 410, "{\"message\":\"GoneException\"}");
      return;
    }
    switch (exchange.getRequestMethod()) {
      case "POST" -> {
        raw.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
            .add(new String(body, StandardCharsets.UTF_8));
        try {
          sent.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
              .addAll(FrameCodec.decodeMessage(new String(body, StandardCharsets.UTF_8)));
        } catch (Exception e) {
          reply(exchange, 400, "{\"message\":\"not a frame\"}");
          return;
        }
        reply(exchange, 200, "");
      }
      case "DELETE" -> {
        open.remove(id);
        closed.add(id);
        reply(exchange, 204, null);
      }
      default -> reply(exchange, 405, "");
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().add("x-amzn-ErrorType", status == 410 ? "GoneException" : "");
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
