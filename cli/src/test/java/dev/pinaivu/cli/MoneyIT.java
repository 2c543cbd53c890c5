package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Money under stress: concurrent requests on priced nodes, clients that disconnect, a node killed
 * in the middle, settlements retried. Afterwards the books must balance to the micro-dollar, every
 * receipt must be settled exactly once, and /v1/usage must be the sum of the receipts.
 */
class MoneyIT {
  @TempDir Path dir;

  @Test
  void booksBalance_afterConcurrency_disconnects_aCrashedNode_andRetries() throws Exception {
    try (FakeOpenAiServer steady = FakeOpenAiServer.builder().model("llama").start();
        FakeOpenAiServer doomed = FakeOpenAiServer.builder().model("llama").start()) {
      steady.setTokenDelay(Duration.ofMillis(5));
      doomed.setTokenDelay(Duration.ofMillis(40));
      Network network = new Network(dir);
      try {
        network.addNode(
            "steady", "--upstream", steady.baseUrl(), "--price-in", "1.25", "--price-out", "3.10");
        NodeProcess crashing =
            network.addNode(
                "doomed",
                "--upstream",
                doomed.baseUrl(),
                "--price-in",
                "0.50",
                "--price-out",
                "0.90");
        network.awaitLive(2);

        Set<String> requestIds = ConcurrentHashMap.newKeySet();
        List<Future<?>> calls = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < 40; i++) {
            int n = i;
            calls.add(pool.submit(() -> call(network, n, requestIds)));
          }
          Thread.sleep(600);
          crashing.kill(); // mid-stream for whatever it was serving
          for (Future<?> f : calls) {
            f.get(60, TimeUnit.SECONDS);
          }
        }

        JsonNode usage = awaitSettled(network);
        LedgerTotals totals = network.gateway.ledger().totals();
        List<JsonNode> receipts = receipts(network, requestIds);

        assertThat(receipts).isNotEmpty();
        assertThat(totals.clientDebitsMicros()).isPositive();
        assertThat(totals.clientDebitsMicros())
            .isEqualTo(totals.nodeCreditsMicros() + totals.feesMicros());
        long receiptTotal =
            receipts.stream().mapToLong(r -> r.at("/receipt/charge/total_charged").asLong()).sum();
        assertThat(totals.clientDebitsMicros()).isEqualTo(receiptTotal);
        assertThat(usage.at("/totals/cost_micros").asLong()).isEqualTo(receiptTotal);
        assertThat(usage.at("/totals/num_model_requests").asLong()).isEqualTo(receipts.size());

        for (JsonNode r : receipts) { // every receipt settled once; settling again changes nothing
          RequestId id = RequestId.parse(r.at("/receipt/request_id").asText());
          Settlement settled = network.gateway.ledger().settlement(id).orElseThrow();
          assertThat(network.gateway.ledger().settle(settled).status())
              .isEqualTo(SettlementResult.Status.ALREADY_SETTLED);
        }
        assertThat(network.gateway.ledger().totals()).isEqualTo(totals);
      } finally {
        network.close();
      }
    }
  }

  /** Every fourth caller disconnects after a few events; half stream, half do not. */
  private static void call(Network network, int n, Set<String> requestIds) {
    try {
      boolean stream = n % 2 == 0;
      String body =
          "{\"model\":\"llama\",\"stream\":"
              + stream
              + ",\"messages\":[{\"role\":\"user\",\"content\":\""
              + "word ".repeat(20 + n)
              + "\"}]}";
      if (stream) {
        Sse sse = Sse.post(network.baseUrl(), network.key(), body, n % 4 == 0 ? 4 : 10_000);
        if (sse.headerRequestId != null) {
          requestIds.add(sse.headerRequestId);
        }
      } else {
        HttpResult r = HttpResult.post(network.baseUrl(), network.key(), body);
        if (r.status == 200) {
          requestIds.add(Json.parse(r.body).get("request_id").asText());
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Usage, once two reads a second apart agree (settlements run just after the responses). */
  private static JsonNode awaitSettled(Network network) throws Exception {
    JsonNode previous = null;
    for (int i = 0; i < 40; i++) {
      Thread.sleep(1000);
      JsonNode now = Json.parse(get(network, "/usage"));
      if (now.equals(previous)) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private static List<JsonNode> receipts(Network network, Set<String> ids) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String id : ids) {
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(network.baseUrl() + "/receipts/" + id))
                    .header("Authorization", "Bearer " + network.key())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          out.add(Json.parse(r.body()));
        }
      }
    }
    return out;
  }

  private static String get(Network network, String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(network.baseUrl() + path))
                  .header("Authorization", "Bearer " + network.key())
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }
}
