package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.core.json.Json;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's own price limit, OpenRouter's request parameter {@code provider.max_price} (USD per
 * million prompt and completion tokens): nodes above it are not routed to, even when they are the
 * cheapest overall, and when no node is within it the answer is 503 with a code naming the price.
 */
class ClientMaxPriceIT {
  private static final String BODY =
      "{\"model\":\"llama\",\"provider\":{\"max_price\":{\"prompt\":0.5,\"completion\":1.5}},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

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
  void maxPrice_excludesTheCheapestNode_whenItsPromptPriceIsAbove() throws Exception {
    // cheapest blended ($0.70), so routing prefers it, but $0.60 per 1M prompt tokens > $0.50
    HostileNode overPrompt =
        network.adopt(HostileNode.builder().price(600_000, 100_000).connect(network.nodeUrl()));
    HostileNode within =
        network.adopt(HostileNode.builder().price(400_000, 1_400_000).connect(network.nodeUrl()));
    network.awaitLive(2);

    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < 3; i++) {
      HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY));
      softly.assertThat(r.status).as(r.body).isEqualTo(200);
    }

    Map<String, JsonNode> receipts = books.receipts();
    softly
        .assertThat(overPrompt.jobs())
        .withFailMessage(
            "the node at $0.60/1M prompt tokens was sent %d job(s) despite provider.max_price"
                + " prompt 0.5",
            overPrompt.jobs().size())
        .isEmpty();
    receipts.forEach((id, r) ->
        softly
            .assertThat(r.at("/receipt/node_id").asText())
            .withFailMessage(
                "%s was served by %s at %s/%s µUSD per Mtok, above the client's max_price",
                id,
                r.at("/receipt/node_id").asText(),
                r.at("/receipt/charge/input_micros_per_mtok").asText(),
                r.at("/receipt/charge/output_micros_per_mtok").asText())
            .isEqualTo(within.id().value()));
    softly.check(books::check);
    softly.assertAll();
  }

  @Test
  void maxPrice_withOnlyPricierNodes_is503NamingThePrice() throws Exception {
    HostileNode overCompletion =
        network.adopt(HostileNode.builder().price(100_000, 2_000_000).connect(network.nodeUrl()));
    network.awaitLive(1);

    HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), BODY));

    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(r.status)
        .withFailMessage(
            "the only node charges $2.00/1M completion tokens, above provider.max_price"
                + " completion 1.5: expected 503, got %d %s",
            r.status, r.body)
        .isEqualTo(503);
    if (r.status == 503) {
      JsonNode error = Json.parse(r.body).get("error");
      assertThat(error).as(r.body).isNotNull();
      softly
          .assertThat(error.path("code").asText())
          .withFailMessage("the 503's code should name the price, got %s", error)
          .containsIgnoringCase("price");
    }
    softly
        .assertThat(overCompletion.jobs())
        .withFailMessage("the node above the client's max_price was sent a job")
        .isEmpty();
    softly.check(books::check);
    softly.assertAll();
  }
}
