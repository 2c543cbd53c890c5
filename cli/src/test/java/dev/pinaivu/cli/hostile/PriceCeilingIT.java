package dev.pinaivu.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
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
 * A node offers 9,007,199,254,740,991 µUSD per million tokens (2^53 - 1: $9 billion). The
 * operator's price ceiling (by default $10 per 1M input and $30 per 1M output tokens; {@code
 * GatewayConfig} has no setting for it yet, so these tests hold the gateway to the default) keeps
 * it out of routing altogether: requests go to an honest node, or get 503 when nothing else serves
 * the model, and no request costs more than the ceiling's prices allow.
 */
class PriceCeilingIT {
  private static final long ABSURD = 9_007_199_254_740_991L;
  private static final String BODY =
      "{\"model\":\"llama\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @TempDir Path dir;

  @Test
  void absurdNode_beside_aBusyHonestNode_getsNoJob_andNothingCostsMoreThanTheCeiling()
      throws Exception {
    try (FakeOpenAiServer upstream = FakeOpenAiServer.builder().model("llama").start();
        Network network = new Network(dir)) {
      upstream.setTokenDelay(Duration.ofMillis(150)); // busy: 8 tokens take over a second
      network.addNode(
          "honest",
          "--upstream",
          upstream.baseUrl(),
          "--price-in",
          "0.50",
          "--price-out",
          "1.50",
          "--capacity",
          "1");
      HostileNode absurd =
          network.adopt(HostileNode.builder().price(ABSURD, ABSURD).connect(network.nodeUrl()));
      network.awaitLive(2);
      Books books = new Books(network);
      ClientKey key = new Admin(network).devKey();

      // more requests at once than the honest node takes: the rest would fall to the absurd one
      List<Future<HttpResult>> calls = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 4; i++) {
          calls.add(
              pool.submit(
                  () -> books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY))));
        }
        for (Future<HttpResult> f : calls) {
          f.get(60, TimeUnit.SECONDS);
        }
      }

      SoftAssertions softly = new SoftAssertions();
      Map<String, JsonNode> receipts = books.receipts();
      softly
          .assertThat(absurd.jobs())
          .withFailMessage(
              "the node at %d µUSD/Mtok (above the $10/$30 ceiling) was sent %d job(s)",
              ABSURD, absurd.jobs().size())
          .isEmpty();
      for (Future<HttpResult> f : calls) {
        HttpResult r = f.get();
        softly
            .assertThat(r.status)
            .withFailMessage(
                "%s: expected the honest node's answer (200) or no node within the ceiling (503),"
                    + " got %d %s",
                r.requestId, r.status, r.body)
            .isIn(200, 503);
      }
      receipts.forEach((id, r) -> withinCeiling(softly, id, r));
      softly.check(books::check);
      softly.assertAll();
    }
  }

  @Test
  void absurdNodeAlone_is503_andChargesNothing() throws Exception {
    try (Network network = new Network(dir)) {
      HostileNode absurd =
          network.adopt(HostileNode.builder().price(ABSURD, ABSURD).connect(network.nodeUrl()));
      network.awaitLive(1);
      Books books = new Books(network);
      ClientKey key = new Admin(network).devKey();

      HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY));

      SoftAssertions softly = new SoftAssertions();
      JsonNode receipt = r.status == 200 ? books.receipt(r.requestId) : null;
      softly
          .assertThat(r.status)
          .withFailMessage(
              "the only node offers %d µUSD/Mtok, above the ceiling: expected 503, got %d and a"
                  + " charge of %s µUSD",
              ABSURD,
              r.status,
              receipt == null ? "(none)" : receipt.at("/receipt/charge/total_charged").asText())
          .isEqualTo(503);
      if (r.status == 503) {
        softly.assertThat(Json.parse(r.body).at("/error/type").asText()).isNotEmpty();
      }
      softly
          .assertThat(absurd.jobs())
          .withFailMessage("the node above the price ceiling was sent a job")
          .isEmpty();
      softly.check(books::check);
      softly.assertAll();
    }
  }

  /** The receipt's prices are within the ceiling, and its charge is at most the ceiling's. */
  static void withinCeiling(SoftAssertions softly, String id, JsonNode envelope) {
    JsonNode r = envelope.get("receipt");
    long in = r.at("/charge/input_micros_per_mtok").asLong();
    long out = r.at("/charge/output_micros_per_mtok").asLong();
    softly
        .assertThat(
            in <= Bounds.CEILING_INPUT_MICROS_PER_MTOK
                && out <= Bounds.CEILING_OUTPUT_MICROS_PER_MTOK)
        .withFailMessage(
            "%s was priced at %d/%d µUSD per Mtok, above the ceiling of %d/%d",
            id,
            in,
            out,
            Bounds.CEILING_INPUT_MICROS_PER_MTOK,
            Bounds.CEILING_OUTPUT_MICROS_PER_MTOK)
        .isTrue();
    Usage billed = Usage.from(r.get("billed_usage"));
    long ceiling =
        Charge.of(
                billed,
                new TokenPrice(
                    Bounds.CEILING_INPUT_MICROS_PER_MTOK, Bounds.CEILING_OUTPUT_MICROS_PER_MTOK),
                new FeePolicy(r.at("/charge/fee_bps").asInt()))
            .totalCharged();
    long charged = r.at("/charge/total_charged").asLong();
    softly
        .assertThat(charged)
        .withFailMessage(
            "%s cost %d µUSD for %s, more than the ceiling's %d µUSD", id, charged, billed, ceiling)
        .isLessThanOrEqualTo(ceiling);
  }
}
