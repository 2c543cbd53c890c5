package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator, in its own process as {@code pinaivu up} runs it, killed with SIGKILL in the
 * middle of concurrent requests and started again on its port (a new key), as {@code up} does. The
 * gateway reconnects by itself, the nodes learn the new key from the gateway, and the settlements
 * of jobs that ran under the dead coordinator's tokens are billed by its successor.
 */
class CoordinatorRestartIT {
  private static final Duration SETTLED_IN = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void aCoordinatorKilledUnderLoad_andRestarted_losesNoBill_andTheNodesTakeItsNewKey()
      throws Exception {
    try (FakeOpenAiServer upstream = FakeOpenAiServer.builder().model("llama").start()) {
      upstream.setTokenDelay(Duration.ofMillis(20));
      CoordinatorProcess first =
          CoordinatorProcess.start(
              GatewayServer.DEFAULT_FEE_BPS, dir.resolve(CoordinatorProcess.SECRET_FILE));
      CoordinatorProcess second = null;
      Network network = new Network(dir, 0, first.client());
      try {
        for (String node : List.of("a", "b")) {
          network.addNode(node, "--upstream", upstream.baseUrl(), "--capacity", "32");
        }
        network.awaitLive(2);
        Books books = new Books(network);
        ClientKey key = new Admin(network).devKey();

        long restartedAt;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<String>> during = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            int n = i;
            during.add(pool.submit(() -> call(network, books, key, n)));
          }
          awaitActive(upstream, 4); // jobs running under the first coordinator's tokens
          first.process.destroyForcibly(); // SIGKILL
          assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
          second = first.restart();
          restartedAt = System.nanoTime();
          awaitAll(during);
        }
        long wait = restartedAt + SETTLED_IN.toNanos() - System.nanoTime();
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(wait))); // the time under test
        List<Future<String>> after = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < 16; i++) {
            int n = i;
            after.add(pool.submit(() -> call(network, books, key, n)));
          }
          awaitAll(after);
        }

        Set<String> sentAfter = new HashSet<>();
        for (Future<String> f : after) {
          sentAfter.add(f.get());
        }
        List<Books.Call> late =
            books.calls().stream().filter(c -> sentAfter.contains(c.requestId())).toList();
        assertThat(late)
            .as("every request sent %s after the restart is served", SETTLED_IN)
            .hasSize(16)
            .allSatisfy(c -> assertThat(c.complete()).as(c.body()).isTrue());
        assertThat(signedAcrossTheRestart(books.receipts().values(), first, second))
            .as("a job that ran under the dead coordinator's token, billed by its successor")
            .isPositive();
        books.check();
      } finally {
        network.close();
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** Receipts the successor signed for tokens of the coordinator it succeeded. */
  private static long signedAcrossTheRestart(
      Collection<JsonNode> receipts, CoordinatorProcess first, CoordinatorProcess second) {
    return receipts.stream()
        .filter(r -> r.path("key_id").asText().equals(second.keyId))
        .filter(r ->
            SignedDispatchToken.payload(r.at("/receipt/dispatch_token").asText())
                .map(DispatchToken::coordinatorKeyId)
                .filter(first.keyId::equals)
                .isPresent())
        .count();
  }

  /** Half stream, half do not; returns the request id. */
  private static String call(Network network, Books books, ClientKey key, int n) throws Exception {
    boolean stream = n % 2 == 0;
    String body =
        "{\"model\":\"llama\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(20 + n % 20)
            + "\"}]}";
    if (stream) {
      return books.track(key, Sse.post(network.baseUrl(), key.secret(), body, 10_000))
          .headerRequestId;
    }
    return books.track(key, HttpResult.post(network.baseUrl(), key.secret(), body)).requestId;
  }

  private static void awaitAll(List<Future<String>> calls) throws Exception {
    for (Future<String> f : calls) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  private static void awaitActive(FakeOpenAiServer upstream, int jobs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (upstream.activeChatRequests() < jobs) {
      assertThat(System.nanoTime()).as("the nodes never got %d jobs", jobs).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
