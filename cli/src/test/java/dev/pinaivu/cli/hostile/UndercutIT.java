package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.BalanceWatch;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node undercuts two honest ones (1 µUSD per million tokens, so it wins every routing decision),
 * then ignores {@code max_tokens} and claims a trillion completion tokens, which at its price is $1
 * a request. The client asked for at most 16 tokens, so it is billed at most 16 per request, and
 * its $1 key budget and $5 of credit hold whatever the node says.
 */
class UndercutIT {
  private static final int REQUESTS = 20;
  private static final int MAX_TOKENS = 16;
  private static final long CLAIM = 1_000_000_000_000L; // × 1 µUSD/Mtok = $1 per request
  private static final String LONG_TEXT = "word ".repeat(40).strip();

  @TempDir Path dir;

  @Test
  void cheapestNodeIgnoringMaxTokens_isBilledAtMostMaxTokens_withinBudgetAndCredit()
      throws Exception {
    try (FakeOpenAiServer first = FakeOpenAiServer.builder().model("llama").start();
        FakeOpenAiServer second = FakeOpenAiServer.builder().model("llama").start();
        Network network = new Network(dir)) {
      network.addNode(
          "honest-1", "--upstream", first.baseUrl(), "--price-in", "0.50", "--price-out", "1.50");
      network.addNode(
          "honest-2", "--upstream", second.baseUrl(), "--price-in", "0.60", "--price-out", "1.80");
      HostileNode cheat =
          network.adopt(
              HostileNode.builder()
                  .price(1, 1)
                  .text(LONG_TEXT)
                  .ignoreMaxTokens()
                  .claimUsage(30, CLAIM)
                  .connect(network.nodeUrl()));
      network.awaitLive(3);
      Admin admin = new Admin(network);
      admin.credit("acct_undercut", "5.00");
      ClientKey key =
          admin.createKey(
              "{\"name\":\"undercut\",\"account\":\"acct_undercut\",\"budget_usd\":\"1\"}");
      Books books = new Books(network);
      BalanceWatch balance = books.watch("acct_undercut");

      List<Future<Object>> calls = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < REQUESTS; i++) {
          boolean stream = i % 2 == 0;
          String body =
              "{\"model\":\"llama\",\"max_tokens\":"
                  + MAX_TOKENS
                  + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
                  + ",\"messages\":[{\"role\":\"user\",\"content\":\"request "
                  + i
                  + "\"}]}";
          calls.add(
              pool.submit(() ->
                  stream
                      ? books.track(key, Sse.post(network.baseUrl(), key.secret(), body, 10_000))
                      : books.track(key, HttpResult.post(network.baseUrl(), key.secret(), body))));
        }
        for (Future<Object> f : calls) {
          f.get(60, TimeUnit.SECONDS);
        }
      }

      Map<String, JsonNode> receipts = books.receipts();
      List<String> byCheat =
          receipts.keySet().stream()
              .filter(
                  id -> receipts.get(id).at("/receipt/node_id").asText().equals(cheat.id().value()))
              .toList();
      assertThat(byCheat)
          .as("the undercutting node won routing (else this test proves nothing)")
          .isNotEmpty();
      assertThat(byCheat.stream().mapToLong(cheat::wordsSent).max().orElse(0))
          .as("the undercutting node sent more words than max_tokens allows")
          .isGreaterThan(MAX_TOKENS);
      SoftAssertions softly = new SoftAssertions();
      List<String> overBilled = new ArrayList<>();
      receipts.forEach((id, r) -> {
        long billed = r.at("/receipt/billed_usage/completion_tokens").asLong();
        if (billed > MAX_TOKENS) {
          overBilled.add(id + " (" + billed + ", node " + r.at("/receipt/node_id").asText() + ")");
        }
      });
      softly
          .assertThat(overBilled)
          .withFailMessage(
              "%d of %d requests were charged more completion tokens than their max_tokens %d: %s",
              overBilled.size(), receipts.size(), MAX_TOKENS, overBilled)
          .isEmpty();
      long spent = admin.spentMicros().get(key.id());
      softly
          .assertThat(spent)
          .withFailMessage("key with a $1 budget spent $%s", Usd.format(spent))
          .isLessThanOrEqualTo(1_000_000L);
      long lowest = balance.lowestMicros();
      softly
          .assertThat(lowest)
          .withFailMessage(
              "the $5 account went down to %s$%s",
              lowest < 0 ? "-" : "", Usd.format(Math.abs(lowest)))
          .isGreaterThanOrEqualTo(0L);
      balance.close();
      softly.check(books::check);
      softly.assertAll();
    }
  }
}
