package dev.pinaivu.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (it asserts nothing about time, and the suite does not run it): the time
 * to first token and to the end of a streamed answer through the serverless deployment on loopback
 * ({@link ServerlessDeployment}: REST stand-in, the chat function in its runtime loop, the relay
 * over the WebSocket API stand-in and its {@code $default} function, dynalite) against the local
 * gateway on the same dynalite, the same demo node and the same client, requests alternating
 * between the two so both see the same machine. Run:
 *
 * <pre>
 * ./mvnw -pl cli verify -Dit.test=ServerlessChatBench -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench.requests=300
 * </pre>
 *
 * It prints a Markdown table for BENCHMARKS.md.
 */
class ServerlessChatBench {
  private static final String BODY =
      "{\"model\":\"pinaivu-demo-echo\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"time to first token\"}]}";

  private record Sample(long firstTokenNanos, long totalNanos) {}

  @Test
  void timeToFirstToken_serverlessPathAgainstTheLocalGateway() throws Exception {
    int requests = Integer.getInteger("bench.requests", 300);
    int warmup = Integer.getInteger("bench.warmup", 50);
    Path dir = Files.createTempDirectory("serverless-bench");
    HttpClient http = HttpClient.newHttpClient();
    try (ServerlessDeployment serverless =
            new ServerlessDeployment(dir.resolve("sls"), 1_000_000_000L);
        Network local =
            Network.onDynamoDb(
                dir.resolve("local"),
                "bench-" + UUID.randomUUID().toString().substring(0, 6) + "-")) {
      local.addNode("node");
      local.awaitLive(1);
      String localKey = local.key();
      for (int i = 0; i < warmup; i++) {
        once(http, serverless.baseUrl(), serverless.key);
        once(http, local.baseUrl(), localKey);
      }
      List<Sample> viaLambda = new ArrayList<>();
      List<Sample> viaGateway = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        viaLambda.add(once(http, serverless.baseUrl(), serverless.key));
        viaGateway.add(once(http, local.baseUrl(), localKey));
      }
      System.out.println();
      System.out.println(
          "| path (concurrency 1, "
              + requests
              + " streamed requests each, alternating) "
              + "| TTFT p50 | TTFT p90 | TTFT p99 | whole answer p50 | whole answer p99 |");
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      row("serverless on loopback (REST stand-in, runtime loop, relay, dynalite)", viaLambda);
      row("local gateway (`--store dynamodb`, same dynalite)", viaGateway);
      System.out.println();
    }
  }

  private static Sample once(HttpClient http, String baseUrl, String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    long first = -1;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.statusCode() + ": " + lines.readLine());
      }
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (first < 0 && line.startsWith("data: ") && line.contains("\"content\"")) {
          first = System.nanoTime() - start;
        }
        if (line.equals("data: [DONE]")) {
          break;
        }
      }
    }
    return new Sample(first, System.nanoTime() - start);
  }

  private static void row(String name, List<Sample> samples) {
    long[] first = samples.stream().mapToLong(Sample::firstTokenNanos).sorted().toArray();
    long[] total = samples.stream().mapToLong(Sample::totalNanos).sorted().toArray();
    System.out.printf(
        "| %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n",
        name, ms(first, 0.5), ms(first, 0.9), ms(first, 0.99), ms(total, 0.5), ms(total, 0.99));
  }

  private static double ms(long[] sorted, double quantile) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
