package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.cli.Sse;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.pricing.Charge;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.gateway.GatewayServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness proves itself: a {@link HostileNode} configured to tell the truth is routed to by the
 * real gateway, its proofs pass the coordinator, and its requests are billed exactly what it
 * delivered, so that when an attack test fails it is the lie that was caught, not the harness.
 */
class HostileNodeIT {
  private static final String BODY =
      "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]";
  private static final long PROMPT = 2; // "Hi there": 8 characters, one token per 4
  private static final TokenPrice PRICE = new TokenPrice(1_000_000, 2_000_000);

  @TempDir Path dir;
  private Network network;
  private Books books;
  private ClientKey key;

  @BeforeEach
  void start() throws Exception {
    network = new Network(dir);
    books = new Books(network);
    key = new Admin(network).devKey();
  }

  @AfterEach
  void stop() throws Exception {
    network.close();
  }

  @Test
  void honestConfiguration_isRoutedTo_andBilledExactlyWhatItDelivered() throws Exception {
    HostileNode node =
        network.adopt(
            HostileNode.builder()
                .price(PRICE.inputMicrosPerMillion(), PRICE.outputMicrosPerMillion())
                .connect(network.nodeUrl()));
    network.awaitLive(1);

    HttpResult whole =
        books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY + "}"));
    Sse streamed =
        books.track(
            key,
            Sse.post(
                network.baseUrl(),
                key.secret(),
                BODY + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                10_000));

    assertThat(whole.status).as(whole.body).isEqualTo(200);
    JsonNode completion = Json.parse(whole.body);
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(HostileNode.TEXT);
    assertThat(Usage.from(completion.get("usage"))).isEqualTo(Usage.of(PROMPT, 5));
    assertThat(streamed.endedWithDone()).as(streamed.events.toString()).isTrue();
    assertThat(streamed.text()).isEqualTo(HostileNode.TEXT);
    assertThat(Usage.from(streamed.usage())).isEqualTo(Usage.of(PROMPT, 5));
    assertThat(node.jobs()).hasSize(2);
    long expected =
        Charge.of(Usage.of(PROMPT, 5), PRICE, new FeePolicy(GatewayServer.DEFAULT_FEE_BPS))
            .totalCharged();
    for (String id : new String[] {whole.requestId, streamed.headerRequestId}) {
      JsonNode receipt = books.receipt(id).get("receipt");
      assertThat(receipt).as("receipt of " + id).isNotNull();
      assertThat(receipt.get("node_id").asText()).isEqualTo(node.id().value());
      assertThat(receipt.get("outcome").asText()).isEqualTo("completed");
      assertThat(Usage.from(receipt.get("usage"))).isEqualTo(Usage.of(PROMPT, 5));
      assertThat(Usage.from(receipt.get("billed_usage"))).isEqualTo(Usage.of(PROMPT, 5));
      assertThat(receipt.at("/charge/total_charged").asLong()).isEqualTo(expected);
    }
    books.check();
  }

  @Test
  void clientLeavingMidStream_isCancelledAtTheNode_andBilledOnlyTheWordsSent() throws Exception {
    HostileNode node =
        network.adopt(
            HostileNode.builder()
                .text("one two three four five six seven eight nine ten")
                .chunkDelay(Duration.ofMillis(200))
                .connect(network.nodeUrl()));
    network.awaitLive(1);

    Sse left =
        books.track(key, Sse.post(network.baseUrl(), key.secret(), BODY + ",\"stream\":true}", 2));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (node.cancels().isEmpty()) {
      assertThat(System.nanoTime()).as("the node was never told to cancel").isLessThan(deadline);
      Thread.sleep(20);
    }

    assertThat(left.endedWithDone()).isFalse();
    assertThat(node.cancels()).extracting(c -> c.jobId()).containsExactly(left.headerRequestId);
    JsonNode receipt = books.receipt(left.headerRequestId).get("receipt");
    assertThat(receipt.get("outcome").asText()).isEqualTo("cancelled");
    long sent = node.wordsSent(left.headerRequestId);
    assertThat(sent).isBetween(1L, 9L);
    assertThat(Usage.from(receipt.get("billed_usage"))).isEqualTo(Usage.of(PROMPT, sent));
    books.check();
  }
}
