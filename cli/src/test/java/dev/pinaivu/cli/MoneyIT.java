package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Money under stress: concurrent requests on priced nodes, clients that disconnect, a node killed
 * in the middle, settlements retried. Afterwards the books must balance to the micro-dollar, every
 * receipt must be settled exactly once, and /v1/usage must be the sum of the receipts ({@link
 * Books}). Run on the local SQLite stores and on every store on DynamoDB (dynalite behind the
 * test-only transactions front).
 */
class MoneyIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"sqlite", "dynamodb"})
  void booksBalance_afterConcurrency_disconnects_aCrashedNode_andRetries(String store)
      throws Exception {
    try (FakeOpenAiServer steady = FakeOpenAiServer.builder().model("llama").start();
        FakeOpenAiServer doomed = FakeOpenAiServer.builder().model("llama").start()) {
      steady.setTokenDelay(Duration.ofMillis(5));
      doomed.setTokenDelay(Duration.ofMillis(40));
      Network network =
          store.equals("sqlite")
              ? new Network(dir)
              : Network.onDynamoDb(dir, "money-" + UUID.randomUUID().toString().substring(0, 8));
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
        Books books = new Books(network);
        ClientKey key = new Admin(network).devKey();

        List<Future<?>> calls = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = 0; i < 40; i++) {
            int n = i;
            calls.add(pool.submit(() -> call(network, books, key, n)));
          }
          Thread.sleep(600);
          crashing.kill(); // mid-stream for whatever it was serving
          for (Future<?> f : calls) {
            f.get(60, TimeUnit.SECONDS);
          }
        }

        assertThat(books.receipts()).isNotEmpty();
        assertThat(network.gateway.ledger().totals().clientDebitsMicros()).isPositive();
        books.check(); // which includes: every usage.cost shown is its receipt's total_charged
        assertThat(books.calls())
            .filteredOn(c -> c.complete() && c.shown() != null)
            .isNotEmpty()
            .allSatisfy(c -> assertThat(c.costMicros()).as(c.body()).isNotNull());
      } finally {
        network.close();
      }
    }
  }

  /**
   * Every fourth caller disconnects after a few events; half stream (a quarter asking for the usage
   * chunk), half do not.
   */
  private static Void call(Network network, Books books, ClientKey key, int n) throws Exception {
    boolean stream = n % 2 == 0;
    String body =
        "{\"model\":\"llama\",\"stream\":"
            + stream
            + (n % 4 == 2 ? ",\"stream_options\":{\"include_usage\":true}" : "")
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(20 + n)
            + "\"}]}";
    if (stream) {
      books.track(key, Sse.post(network.baseUrl(), key.secret(), body, n % 4 == 0 ? 4 : 10_000));
    } else {
      books.track(key, HttpResult.post(network.baseUrl(), key.secret(), body));
    }
    return null;
  }
}
