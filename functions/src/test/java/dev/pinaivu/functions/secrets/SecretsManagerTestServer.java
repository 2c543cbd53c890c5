package dev.pinaivu.functions.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pinaivu.functions.testsupport.AwsJsonFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A test fixture, not Secrets Manager: a loopback HTTP server that speaks its JSON protocol for
 * {@code GetSecretValue} only ({@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code
 * application/x-amz-json-1.1}), answering {@code ResourceNotFoundException} for unknown ids and
 * {@code AccessDeniedException} for ids put {@link #deny denied}, with the bodies the API reference
 * documents. It records each request's {@code SecretId}.
 */
public final class SecretsManagerTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, Boolean> denied = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();

  public SecretsManagerTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  public void put(String id, String value) {
    secrets.put(id, value);
  }

  public void deny(String id) {
    denied.put(id, true);
  }

  public List<String> requested() {
    return List.copyOf(requested);
  }

  /** Where it listens, for a process's endpoint option. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The real SDK client, with the HTTP client the functions ship, pointed at this fixture. */
  public SecretsManagerClient client() {
    return AwsJsonFixtures.client(SecretsManagerClient.builder(), endpoint());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"secretsmanager.GetSecretValue".equals(target)) {
        AwsJsonFixtures.reply(
            exchange, 400, error("UnknownOperationException", "only GetSecretValue: " + target));
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String id = body.path("SecretId").asText();
      requested.add(id);
      if (denied.containsKey(id)) {
        AwsJsonFixtures.reply(
            exchange, 400, error("AccessDeniedException", "not authorized to read " + id));
      } else if (!secrets.containsKey(id)) {
        AwsJsonFixtures.reply(
            exchange,
            400,
            error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
      } else {
        AwsJsonFixtures.reply(
            exchange,
            200,
            JSON.writeValueAsString(
                Map.of(
                    "ARN",
                    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:" + id + "-AbCdEf",
                    "Name",
                    id,
                    "SecretString",
                    secrets.get(id),
                    "VersionId",
                    "00000000-0000-0000-0000-000000000001",
                    "VersionStages",
                    List.of("AWSCURRENT"),
                    "CreatedDate",
                    1.7e9)));
      }
    }
  }

  private static String error(String type, String message) throws IOException {
    return JSON.writeValueAsString(Map.of("__type", type, "message", message));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
