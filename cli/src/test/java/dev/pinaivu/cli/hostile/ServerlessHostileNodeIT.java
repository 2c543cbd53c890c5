package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.ServerlessBooks;
import dev.pinaivu.cli.ServerlessDeployment;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attack tests of the local gateway ({@link HostileNodeIT}, {@link InflatedUsageIT}, {@link
 * PriceCeilingIT}, {@link ClientMaxPriceIT}) on the serverless path: {@link HostileNode}s join the
 * WebSocket API stand-in through the real {@code $connect} (their key proved in the headers) and
 * answer through {@code $default}, the real chat function in its runtime loop dispatches to them
 * and settles, on dynalite ({@link ServerlessDeployment}). The chat function runs the local
 * gateway's use case, so the same limits must hold: a node is billed at most what it delivered, and
 * a node above the price ceiling or the client's {@code max_price} gets no job. Every test ends
 * with the books check ({@link ServerlessBooks}), over one deployment for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessHostileNodeIT {
  private static final long MILLION = 1_000_000;
  private static final String HI = "{\"role\":\"user\",\"content\":\"Hi there\"}";
  private static final long PROMPT = 2; // "Hi there": 8 characters, one token per 4
  private static final TokenPrice PRICE = new TokenPrice(1_000_000, 2_000_000);
  private static final FeePolicy FEES = new FeePolicy(ServerlessDeployment.FEE_BPS);
  private static final long ABSURD = 9_007_199_254_740_991L;

  private ServerlessAttack attack;
  private ServerlessBooks books;

  @BeforeAll
  void start() throws Exception {
    attack = new ServerlessAttack();
    books = attack.books;
  }

  @AfterEach
  void leave() throws Exception {
    attack.leave();
  }

  @AfterAll
  void stop() throws Exception {
    attack.close();
  }

  private static String body(String more) {
    return "{\"model\":\"llama\"," + more + "\"messages\":[" + HI + "]}";
  }

  private JsonNode receiptOf(String requestId) throws Exception {
    JsonNode envelope = books.receipt(requestId);
    assertThat(envelope)
        .withFailMessage("%s: a complete answer but no receipt within 30 s", requestId)
        .isNotNull();
    return envelope.get("receipt");
  }

  @Test
  void honestConfiguration_isRoutedTo_andBilledExactlyWhatItDelivered() throws Exception {
    HostileNode node =
        attack.join(
            HostileNode.builder()
                .price(PRICE.inputMicrosPerMillion(), PRICE.outputMicrosPerMillion()));
    long balance = books.clientBalance();

    HttpResult whole = attack.post(body(""));
    Sse streamed =
        attack.stream(body("\"stream\":true,\"stream_options\":{\"include_usage\":true},"));

    assertThat(whole.status).as(whole.body).isEqualTo(200);
    JsonNode completion = Json.parse(whole.body);
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(HostileNode.TEXT);
    assertThat(Usage.from(completion.get("usage"))).isEqualTo(Usage.of(PROMPT, 5));
    assertThat(streamed.endedWithDone()).as(streamed.events.toString()).isTrue();
    assertThat(streamed.text()).isEqualTo(HostileNode.TEXT);
    assertThat(Usage.from(streamed.usage())).isEqualTo(Usage.of(PROMPT, 5));
    assertThat(node.jobs()).hasSize(2);
    Charge expected = Charge.of(Usage.of(PROMPT, 5), PRICE, FEES);
    for (String id : new String[] {whole.requestId, streamed.headerRequestId}) {
      JsonNode receipt = receiptOf(id);
      assertThat(receipt.get("node_id").asText()).isEqualTo(node.id().value());
      assertThat(receipt.get("outcome").asText()).isEqualTo("completed");
      assertThat(Usage.from(receipt.get("usage"))).isEqualTo(Usage.of(PROMPT, 5));
      assertThat(Usage.from(receipt.get("billed_usage"))).isEqualTo(Usage.of(PROMPT, 5));
      assertThat(receipt.at("/charge/total_charged").asLong()).isEqualTo(expected.totalCharged());
    }
    books.check();
    assertThat(balance - books.clientBalance())
        .as("the client paid its two answers")
        .isEqualTo(2 * expected.totalCharged());
    assertThat(books.credited(node.id()))
        .as("the node earned its two answers")
        .isEqualTo(2 * expected.nodeAmount());
  }

  @Test
  void killedBeforeItsFirstOutput_theJobFailsOverToTheNextNode_whichAloneIsPaid() throws Exception {
    // ten times cheaper: routed to first
    HostileNode killed =
        attack.join(
            HostileNode.builder().price(100_000, 200_000).firstTokenDelay(Duration.ofSeconds(5)));
    HostileNode next =
        attack.join(
            HostileNode.builder()
                .price(PRICE.inputMicrosPerMillion(), PRICE.outputMicrosPerMillion()));
    long balance = books.clientBalance();

    CompletableFuture<Sse> call =
        async(() ->
            attack.stream(body("\"stream\":true,\"stream_options\":{\"include_usage\":true},")));
    awaitJob(killed);
    killed.kill();
    Sse streamed = call.get(30, TimeUnit.SECONDS);

    assertThat(streamed.endedWithDone()).as(streamed.events.toString()).isTrue();
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(streamed.text()).isEqualTo(HostileNode.TEXT);
    JsonNode receipt = receiptOf(streamed.headerRequestId);
    softly.assertThat(receipt.get("node_id").asText()).isEqualTo(next.id().value());
    softly
        .assertThat(receipt.at("/charge/total_charged").asLong())
        .isEqualTo(Charge.of(Usage.of(PROMPT, 5), PRICE, FEES).totalCharged());
    softly.check(books::check);
    billedAsItsReceiptSays(softly, next, receipt, balance);
    softly.assertThat(books.credited(killed.id())).as("what the killed node earned").isZero();
    softly.assertAll();
  }

  @Test
  void nonStreamed_claimingAMillionCompletionTokens_billsAtMostTheDeliveredOutput()
      throws Exception {
    HostileNode liar = attack.join(HostileNode.builder().claimUsage(2, MILLION));
    long balance = books.clientBalance();

    HttpResult r = attack.post(body(""));

    assertThat(r.status).as(r.body).isEqualTo(200);
    String delivered = Json.parse(r.body).at("/choices/0/message/content").asText();
    assertThat(delivered).as("the node delivered its five words").isEqualTo(HostileNode.TEXT);
    JsonNode receipt = receiptOf(r.requestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/completion_tokens").asLong();
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d completion tokens but only ~5 were delivered (\"%s\"; the limit is"
                + " %d)",
            billed, delivered, Bounds.completion(delivered))
        .isLessThanOrEqualTo(Bounds.completion(delivered));
    softly
        .assertThat(receipt.at("/usage/completion_tokens").asLong())
        .as("the receipt's usage records the node's claim")
        .isEqualTo(MILLION);
    softly.check(books::check);
    billedAsItsReceiptSays(softly, liar, receipt, balance);
    softly.assertAll();
  }

  @Test
  void streamed_claimingAMillionCompletionTokens_billsAtMostMaxTokens() throws Exception {
    HostileNode liar = attack.join(HostileNode.builder().claimUsage(2, MILLION));
    long balance = books.clientBalance();

    Sse s =
        attack.stream(
            body("\"stream\":true,\"stream_options\":{\"include_usage\":true},\"max_tokens\":4,"));

    assertThat(s.endedWithDone()).as(s.events.toString()).isTrue();
    String delivered = s.text();
    assertThat(delivered).as("the node stopped at max_tokens").isEqualTo("five words of honest ");
    JsonNode receipt = receiptOf(s.headerRequestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/completion_tokens").asLong();
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d completion tokens for a stream with max_tokens 4 that delivered"
                + " \"%s\" (the limit is %d)",
            billed, delivered, Bounds.completion(delivered, 4))
        .isLessThanOrEqualTo(Bounds.completion(delivered, 4));
    softly.assertThat(Usage.from(s.usage())).as("the stream asked for include_usage").isNotNull();
    softly
        .assertThat(receipt.at("/usage/completion_tokens").asLong())
        .as("the receipt's usage records the node's claim")
        .isEqualTo(MILLION);
    softly.check(books::check);
    billedAsItsReceiptSays(softly, liar, receipt, balance);
    softly.assertAll();
  }

  @Test
  void claimingAMillionPromptTokens_billsAtMostTheRequestsSize() throws Exception {
    HostileNode liar = attack.join(HostileNode.builder().claimUsage(MILLION, 5));
    long balance = books.clientBalance();
    String body =
        "{\"model\":\"llama\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + HI
            + "]}";

    HttpResult r = attack.post(body);

    assertThat(r.status).as(r.body).isEqualTo(200);
    JsonNode receipt = receiptOf(r.requestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/prompt_tokens").asLong();
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d prompt tokens for a request of %d bytes and 2 messages (limit %d)",
            billed, Bounds.bytes(body), Bounds.prompt(body, 2))
        .isLessThanOrEqualTo(Bounds.prompt(body, 2));
    softly
        .assertThat(receipt.at("/usage/prompt_tokens").asLong())
        .as("the receipt's usage records the node's claim")
        .isEqualTo(MILLION);
    softly.check(books::check);
    billedAsItsReceiptSays(softly, liar, receipt, balance);
    softly.assertAll();
  }

  @Test
  void aJobSentInParts_claimingAMillionPromptTokens_billsAtMostTheRequestsSize() throws Exception {
    HostileNode liar = attack.join(HostileNode.builder().claimUsage(MILLION, 5));
    long balance = books.clientBalance();
    String body =
        "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(40_000)
            + "\"}]}";

    HttpResult r = attack.post(body);

    assertThat(r.status).as(r.body).isEqualTo(200);
    assertThat(liar.jobs()).hasSize(1);
    assertThat(liar.jobs().getFirst().request())
        .as("the job, larger than one message of the API, came whole in job_part frames")
        .isEqualTo(body);
    JsonNode receipt = receiptOf(r.requestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/prompt_tokens").asLong();
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d prompt tokens for a request of %d bytes (limit %d)",
            billed, Bounds.bytes(body), Bounds.prompt(body, 1))
        .isLessThanOrEqualTo(Bounds.prompt(body, 1));
    softly.assertThat(receipt.at("/usage/prompt_tokens").asLong()).isEqualTo(MILLION);
    softly.check(books::check);
    billedAsItsReceiptSays(softly, liar, receipt, balance);
    softly.assertAll();
  }

  @Test
  void absurdlyPricedNodeAlone_is503_andMovesNoMoney() throws Exception {
    HostileNode absurd = attack.join(HostileNode.builder().price(ABSURD, ABSURD));
    LedgerTotals before = attack.deployment.ledger().totals();

    HttpResult r = attack.post(body("\"max_tokens\":8,"));

    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(r.status)
        .withFailMessage(
            "the only node offers %d µUSD/Mtok, above the ceiling: expected 503, got %d %s",
            ABSURD, r.status, r.body)
        .isEqualTo(503);
    softly.assertThat(absurd.jobs()).as("jobs sent to the node above the ceiling").isEmpty();
    softly.check(books::check);
    softly.assertThat(attack.deployment.ledger().totals()).isEqualTo(before);
    softly.assertThat(books.credited(absurd.id())).isZero();
    softly.assertAll();
  }

  @Test
  void absurdlyPricedNode_besideAnHonestOne_getsNoJob_andNothingCostsMoreThanTheCeiling()
      throws Exception {
    HostileNode absurd = attack.join(HostileNode.builder().price(ABSURD, ABSURD));
    HostileNode honest = attack.join(HostileNode.builder().price(500_000, 1_500_000));

    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < 3; i++) {
      HttpResult r = attack.post(body("\"max_tokens\":8,"));
      softly.assertThat(r.status).as(r.body).isEqualTo(200);
      PriceCeilingIT.withinCeiling(softly, r.requestId, books.receipt(r.requestId));
    }
    softly.assertThat(absurd.jobs()).as("jobs sent to the node above the ceiling").isEmpty();
    softly.assertThat(honest.jobs()).hasSize(3);
    softly.check(books::check);
    softly.assertThat(books.credited(absurd.id())).isZero();
    softly.assertAll();
  }

  @Test
  void raisingItsPriceMidJob_billsTheJobAtTheOfferItWasRoutedAt_andGetsNoMoreJobs()
      throws Exception {
    HostileNode node =
        attack.join(
            HostileNode.builder()
                .price(PRICE.inputMicrosPerMillion(), PRICE.outputMicrosPerMillion())
                .firstTokenDelay(Duration.ofMillis(500)));
    long balance = books.clientBalance();

    CompletableFuture<HttpResult> call = async(() -> attack.post(body("")));
    awaitJob(node);
    node.reprice(ABSURD, ABSURD); // signed and newer: the registry takes it
    HttpResult routed = call.get(30, TimeUnit.SECONDS);
    // its connection's messages are handled in order: the new offer was before this answer
    HttpResult next = attack.post(body(""));

    assertThat(routed.status).as(routed.body).isEqualTo(200);
    SoftAssertions softly = new SoftAssertions();
    JsonNode receipt = receiptOf(routed.requestId);
    softly
        .assertThat(receipt.at("/charge/output_micros_per_mtok").asLong())
        .as("the price the job was billed at")
        .isEqualTo(PRICE.outputMicrosPerMillion());
    softly
        .assertThat(receipt.at("/charge/total_charged").asLong())
        .isEqualTo(Charge.of(Usage.of(PROMPT, 5), PRICE, FEES).totalCharged());
    softly
        .assertThat(next.status)
        .as("the next request, the node now above the ceiling")
        .isEqualTo(503);
    softly.assertThat(node.jobs()).hasSize(1);
    softly.check(books::check);
    billedAsItsReceiptSays(softly, node, receipt, balance);
    softly.assertAll();
  }

  @Test
  void clientMaxPrice_excludesTheCheapestNode_whenItsPromptPriceIsAbove() throws Exception {
    // cheapest blended ($0.70), so routing prefers it, but $0.60 per 1M prompt tokens > $0.50
    HostileNode overPrompt = attack.join(HostileNode.builder().price(600_000, 100_000));
    HostileNode within = attack.join(HostileNode.builder().price(400_000, 1_400_000));

    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < 3; i++) {
      HttpResult r = attack.post(body(maxPrice()));
      softly.assertThat(r.status).as(r.body).isEqualTo(200);
      softly
          .assertThat(books.receipt(r.requestId).at("/receipt/node_id").asText())
          .as("the node that served %s", r.requestId)
          .isEqualTo(within.id().value());
    }
    softly
        .assertThat(overPrompt.jobs())
        .as("jobs sent to the node above provider.max_price")
        .isEmpty();
    softly.check(books::check);
    softly.assertThat(books.credited(overPrompt.id())).isZero();
    softly.assertAll();
  }

  @Test
  void clientMaxPrice_withOnlyPricierNodes_is503NamingThePrice_andMovesNoMoney() throws Exception {
    HostileNode overCompletion = attack.join(HostileNode.builder().price(100_000, 2_000_000));
    LedgerTotals before = attack.deployment.ledger().totals();

    HttpResult r = attack.post(body(maxPrice()));

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(r.status).as(r.body).isEqualTo(503);
    softly
        .assertThat(Json.parse(r.body).at("/error/code").asText())
        .as("the 503's code names the price")
        .containsIgnoringCase("price");
    softly.assertThat(overCompletion.jobs()).as("jobs sent above max_price").isEmpty();
    softly.check(books::check);
    softly.assertThat(attack.deployment.ledger().totals()).isEqualTo(before);
    softly.assertAll();
  }

  /** A call on another thread. */
  static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits up to 20 s until {@code node} was sent a job. */
  static void awaitJob(HostileNode node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (node.jobs().isEmpty()) {
      assertThat(System.nanoTime()).as("the node was never sent a job").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static String maxPrice() {
    return "\"provider\":{\"max_price\":{\"prompt\":0.5,\"completion\":1.5}},";
  }

  /** The client paid, and the node earned, exactly what the one receipt since says. */
  private void billedAsItsReceiptSays(
      SoftAssertions softly, HostileNode node, JsonNode receipt, long balanceBefore) {
    softly
        .assertThat(balanceBefore - books.clientBalance())
        .as("what the client was charged")
        .isEqualTo(receipt.at("/charge/total_charged").asLong());
    softly
        .assertThat(books.credited(node.id()))
        .as("what the node was credited")
        .isEqualTo(receipt.at("/charge/node_amount").asLong());
  }
}
