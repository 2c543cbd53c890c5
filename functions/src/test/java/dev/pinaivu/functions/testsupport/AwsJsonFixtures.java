package dev.pinaivu.functions.testsupport;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What the loopback fixtures of AWS JSON-protocol services share (test code, not AWS): the real SDK
 * client, with the HTTP client the functions ship, pointed at a fixture, and a JSON 1.1 reply.
 */
public final class AwsJsonFixtures {
  private AwsJsonFixtures() {}

  /** {@code builder}'s client against {@code endpoint}, with fixed test credentials. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(
      B builder, URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDTESTFIXTURE", "test-secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Answers {@code body} with {@code status} as {@code application/x-amz-json-1.1}. */
  public static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
