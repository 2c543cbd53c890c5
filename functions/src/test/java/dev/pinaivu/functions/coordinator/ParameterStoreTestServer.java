package dev.pinaivu.functions.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pinaivu.functions.testsupport.AwsJsonFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A test fixture, not Parameter Store: a loopback HTTP server that speaks its JSON protocol for
 * {@code GetParameter} only ({@code X-Amz-Target: AmazonSSM.GetParameter}, {@code
 * application/x-amz-json-1.1}), answering {@code ParameterNotFound} for unknown names, and a
 * SecureString's value only when asked {@code WithDecryption} (else an opaque blob, as the service
 * returns its ciphertext). It records each request's name.
 */
public final class ParameterStoreTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Stored(String type, String value) {}

  private final HttpServer server;
  private final Map<String, Stored> parameters = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();

  public ParameterStoreTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  public void putString(String name, String value) {
    parameters.put(name, new Stored("String", value));
  }

  public void putSecureString(String name, String value) {
    parameters.put(name, new Stored("SecureString", value));
  }

  List<String> requested() {
    return List.copyOf(requested);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The real SDK client, with the HTTP client the functions ship, pointed at this fixture. */
  SsmClient client() {
    return AwsJsonFixtures.client(SsmClient.builder(), endpoint());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"AmazonSSM.GetParameter".equals(target)) {
        AwsJsonFixtures.reply(
            exchange, 400, error("UnknownOperationException", "only GetParameter: " + target));
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String name = body.path("Name").asText();
      requested.add(name);
      Stored stored = parameters.get(name);
      if (stored == null) {
        AwsJsonFixtures.reply(exchange, 400, error("ParameterNotFound", null));
        return;
      }
      String value =
          stored.type().equals("SecureString") && !body.path("WithDecryption").asBoolean(false)
              ? Base64.getEncoder()
                  .encodeToString(("ciphertext of " + name).getBytes(StandardCharsets.UTF_8))
              : stored.value();
      AwsJsonFixtures.reply(
          exchange,
          200,
          JSON.writeValueAsString(
              Map.of(
                  "Parameter",
                  Map.of(
                      "ARN",
                      "arn:aws:ssm:eu-west-1:111122223333:parameter" + name,
                      "Name",
                      name,
                      "Type",
                      stored.type(),
                      "Value",
                      value,
                      "Version",
                      1,
                      "LastModifiedDate",
                      1.7e9,
                      "DataType",
                      "text"))));
    }
  }

  private static String error(String type, String message) throws IOException {
    return message == null
        ? JSON.writeValueAsString(Map.of("__type", type))
        : JSON.writeValueAsString(Map.of("__type", type, "message", message));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
