package dev.pinaivu.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.BalanceWatch;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.core.json.Json;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets and credit are hard caps, also under concurrency: requests that cannot be afforded are
 * refused with 429 {@code insufficient_quota} before they run, never served and overdrawn. The node
 * is honest here (about 23 µUSD a request) but slow to start, so that every request is in flight
 * before the first one is settled.
 */
class HardCapsIT {
  // ceil((2 prompt × 0.10 + 5 completion × 4.00) µUSD) = 21, plus the 5% fee: 23 µUSD a request
  private static final long INPUT_PRICE = 100_000;
  private static final long OUTPUT_PRICE = 4_000_000;
  private static final String BODY =
      "{\"model\":\"llama\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi"
          + " there\"}]}";

  @TempDir Path dir;
  private Network network;
  private Admin admin;
  private Books books;

  @BeforeEach
  void start() throws Exception {
    network = new Network(dir);
    network.adopt(
        HostileNode.builder()
            .price(INPUT_PRICE, OUTPUT_PRICE)
            .capacity(256)
            .firstTokenDelay(Duration.ofMillis(500))
            .connect(network.nodeUrl()));
    network.awaitLive(1);
    admin = new Admin(network);
    books = new Books(network);
  }

  @AfterEach
  void stop() throws Exception {
    network.close();
  }

  @Test
  void keyWithABudgetOf100Micros_and20ConcurrentRequests_spendsAtMost100Micros() throws Exception {
    admin.credit("acct_budget", "1.00");
    ClientKey key =
        admin.createKey(
            "{\"name\":\"tiny-budget\",\"account\":\"acct_budget\",\"budget_usd\":\"0.0001\"}");

    List<HttpResult> results = concurrently(20, List.of(key));
    books.awaitSettled();

    SoftAssertions softly = new SoftAssertions();
    long spent = admin.spentMicros().get(key.id());
    softly
        .assertThat(spent)
        .withFailMessage(
            "a key with a 100 µUSD budget spent %d µUSD on 20 concurrent requests (%d answered"
                + " 200)",
            spent, served(results))
        .isLessThanOrEqualTo(100L);
    refusalsAreInsufficientQuota(softly, results);
    softly
        .assertThat(served(results))
        .withFailMessage("not one request within the budget was served")
        .isPositive();
    softly.check(books::check);
    softly.assertAll();
  }

  @Test
  void accountWith300Micros_and200ConcurrentRequestsFromFourKeys_neverGoesBelowZero()
      throws Exception {
    admin.credit("acct_tiny", "0.0003");
    List<ClientKey> keys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(admin.createKey("{\"name\":\"tiny-" + i + "\",\"account\":\"acct_tiny\"}"));
    }
    BalanceWatch balance = books.watch("acct_tiny");

    List<HttpResult> results = concurrently(200, keys);
    books.awaitSettled();

    SoftAssertions softly = new SoftAssertions();
    long lowest = balance.lowestMicros();
    balance.close();
    softly
        .assertThat(lowest)
        .withFailMessage(
            "an account credited 300 µUSD went down to %d µUSD during 200 concurrent requests (%d"
                + " answered 200)",
            lowest, served(results))
        .isGreaterThanOrEqualTo(0L);
    long charged = 0;
    for (JsonNode r : books.receipts().values()) {
      charged += r.at("/receipt/charge/total_charged").asLong();
    }
    softly
        .assertThat(charged)
        .withFailMessage("an account credited 300 µUSD was charged %d µUSD in all", charged)
        .isLessThanOrEqualTo(300L);
    refusalsAreInsufficientQuota(softly, results);
    softly
        .assertThat(served(results))
        .withFailMessage("not one request within the credit was served")
        .isPositive();
    softly.check(books::check);
    softly.assertAll();
  }

  /** {@code count} requests at once, spread over {@code keys}, all tracked by the books. */
  private List<HttpResult> concurrently(int count, List<ClientKey> keys) throws Exception {
    List<Future<HttpResult>> calls = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        ClientKey key = keys.get(i % keys.size());
        calls.add(
            pool.submit(() ->
                books.track(key, HttpResult.post(http, network.baseUrl(), key.secret(), BODY))));
      }
      List<HttpResult> out = new ArrayList<>();
      for (Future<HttpResult> f : calls) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    }
  }

  private static long served(List<HttpResult> results) {
    return results.stream().filter(r -> r.status == 200).count();
  }

  /**
   * Every request not served was refused as OpenAI refuses one over quota: 429 insufficient_quota.
   */
  private static void refusalsAreInsufficientQuota(SoftAssertions softly, List<HttpResult> results)
      throws Exception {
    for (HttpResult r : results) {
      if (r.status == 200) {
        continue;
      }
      String code = r.status == 429 ? Json.parse(r.body).at("/error/code").asText() : "";
      softly
          .assertThat(r.status == 429 && code.equals("insufficient_quota"))
          .withFailMessage(
              "%s: a request that cannot be afforded must be 429 insufficient_quota, got %d %s",
              r.requestId, r.status, r.body)
          .isTrue();
    }
  }
}
