package dev.pinaivu.coordinator.kms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test fixture, not EC2: a loopback HTTP server answering the IMDSv2 calls the AWS SDK makes for
 * role credentials (token PUT, role name, role credentials), as the parent's metadata service would
 * through the enclave's bridge. Requests without the token are refused, as IMDSv2 does.
 */
final class InstanceMetadataTestServer implements AutoCloseable {
  static final String ROLE = "pinaivu-coordinator-instance";
  static final String ACCESS_KEY_ID = "ASIAFIXTUREINSTANCE1";
  private static final String TOKEN = "fixture-imds-token";
  private static final String CREDENTIALS = "/latest/meta-data/iam/security-credentials/";

  private final HttpServer server;
  private final AtomicInteger credentialReads = new AtomicInteger();

  InstanceMetadataTestServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int credentialReads() {
    return credentialReads.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("PUT") && path.equals("/latest/api/token")) {
        reply(exchange, 200, TOKEN);
      } else if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("x-aws-ec2-metadata-token"))) {
        reply(exchange, 401, "");
      } else if (path.equals(CREDENTIALS)) {
        reply(exchange, 200, ROLE);
      } else if (path.equals(CREDENTIALS + ROLE)) {
        credentialReads.incrementAndGet();
        reply(exchange, 200, credentials());
      } else {
        reply(exchange, 404, "");
      }
    }
  }

  private static String credentials() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return """
    {"Code": "Success", "LastUpdated": "%s", "Type": "AWS-HMAC",
     "AccessKeyId": "%s", "SecretAccessKey": "fixture-secret",
     "Token": "fixture-session-token", "Expiration": "%s"}\
    """
        .formatted(now, ACCESS_KEY_ID, now.plus(6, ChronoUnit.HOURS));
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
