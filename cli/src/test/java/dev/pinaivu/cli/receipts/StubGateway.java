package dev.pinaivu.cli.receipts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double, on loopback, for two gateway routes the CLI reads: {@code GET
 * /v1/receipts/{request_id}} (which does not exist in the gateway yet; this stub follows the
 * contract it will serve: 200 with the signed receipt envelope, else a 404 OpenAI error) and {@code
 * GET /v1/attestation} (the key listing). It records the Authorization headers it receives.
 */
final class StubGateway implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> receipts = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile String listing = "{\"keys\":[]}";
  private volatile String requiredKey;

  StubGateway() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/receipts/", this::receipt);
    server.createContext("/v1/attestation", ex -> send(ex, 200, listing));
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  StubGateway withReceipt(String requestId, String envelope) {
    receipts.put(requestId, envelope);
    return this;
  }

  StubGateway withListing(String json) {
    listing = json;
    return this;
  }

  /** Receipts are served only to {@code Authorization: Bearer <key>}, as the gateway will. */
  StubGateway requiringKey(String key) {
    requiredKey = key;
    return this;
  }

  List<String> authorizations() {
    return authorizations;
  }

  private void receipt(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(String.valueOf(auth));
    if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
      send(ex, 401, error("Incorrect API key provided.", "invalid_api_key"));
      return;
    }
    String id = ex.getRequestURI().getPath().substring("/v1/receipts/".length());
    String envelope = receipts.get(id);
    if (envelope == null) {
      send(ex, 404, error("No receipt found for request '" + id + "'.", "not_found"));
    } else {
      send(ex, 200, envelope);
    }
  }

  private static String error(String message, String code) {
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\"not_found_error\",\"param\":null,\"code\":\""
        + code
        + "\"}}";
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
