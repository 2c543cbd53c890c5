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
import dev.pinaivu.core.openai.Usage;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node streams five words and claims a million tokens. Its proof is valid in every other respect
 * (signed, hashes right), so only the gateway's own limits stand between the lie and the client's
 * credit: the client is billed at most what was delivered ({@link Bounds}), the receipt shows both
 * the claim ({@code usage}) and what was billed ({@code billed_usage}), and the client is never
 * billed more than the usage its response showed it.
 */
class InflatedUsageIT {
  private static final long MILLION = 1_000_000;

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

  private HostileNode liar(long prompt, long completion) throws Exception {
    HostileNode node =
        network.adopt(
            HostileNode.builder().claimUsage(prompt, completion).connect(network.nodeUrl()));
    network.awaitLive(1);
    return node;
  }

  @Test
  void nonStreamed_claimingAMillionCompletionTokens_billsAtMostTheDeliveredOutput()
      throws Exception {
    liar(2, MILLION);
    String body = "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), body));

    assertThat(r.status).as(r.body).isEqualTo(200);
    String delivered = Json.parse(r.body).at("/choices/0/message/content").asText();
    assertThat(delivered).as("the node delivered its five words").isEqualTo(HostileNode.TEXT);
    JsonNode receipt = receiptOf(r.requestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/completion_tokens").asLong();
    long cap = Bounds.completion(delivered);
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d completion tokens but only ~5 were delivered (\"%s\", %d bytes;"
                + " the delivered-output limit is %d)",
            billed, delivered, Bounds.bytes(delivered), cap)
        .isLessThanOrEqualTo(cap);
    softly
        .assertThat(receipt.at("/usage/completion_tokens").asLong())
        .withFailMessage(
            "the receipt's usage must still record the node's claim of %d completion tokens, got"
                + " %s",
            MILLION, receipt.get("usage"))
        .isEqualTo(MILLION);
    softly.check(books::check);
    softly.assertAll();
  }

  @Test
  void streamed_claimingAMillionCompletionTokens_billsAtMostMaxTokens() throws Exception {
    liar(2, MILLION);
    String body =
        "{\"model\":\"llama\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    Sse s = books.track(key, Sse.post(network.baseUrl(), key.secret(), body, 10_000));

    assertThat(s.endedWithDone()).as(s.events.toString()).isTrue();
    String delivered = s.text();
    assertThat(delivered).as("the node stopped at max_tokens").isEqualTo("five words of honest ");
    JsonNode receipt = receiptOf(s.headerRequestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/completion_tokens").asLong();
    long cap = Bounds.completion(delivered, 4);
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d completion tokens for a stream with max_tokens 4 that delivered"
                + " \"%s\" (%d bytes; the limit is %d)",
            billed, delivered, Bounds.bytes(delivered), cap)
        .isLessThanOrEqualTo(cap);
    Usage shown = Usage.from(s.usage());
    softly
        .assertThat(shown)
        .withFailMessage("the stream asked for include_usage but showed no usage chunk")
        .isNotNull();
    softly
        .assertThat(receipt.at("/usage/completion_tokens").asLong())
        .withFailMessage(
            "the receipt's usage must still record the node's claim of %d completion tokens, got"
                + " %s",
            MILLION, receipt.get("usage"))
        .isEqualTo(MILLION);
    softly.check(books::check);
    softly.assertAll();
  }

  @Test
  void claimingAMillionPromptTokens_billsAtMostTheRequestsSize() throws Exception {
    liar(MILLION, 5);
    String body =
        "{\"model\":\"llama\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"Hi\"}]}";

    HttpResult r = books.track(key, HttpResult.post(network.baseUrl(), key.secret(), body));

    assertThat(r.status).as(r.body).isEqualTo(200);
    JsonNode receipt = receiptOf(r.requestId);
    SoftAssertions softly = new SoftAssertions();
    long billed = receipt.at("/billed_usage/prompt_tokens").asLong();
    long cap = Bounds.prompt(body, 2);
    softly
        .assertThat(billed)
        .withFailMessage(
            "client charged %d prompt tokens for a request of %d bytes and 2 messages (the limit"
                + " is bytes + 256 + 16 per message = %d)",
            billed, Bounds.bytes(body), cap)
        .isLessThanOrEqualTo(cap);
    softly
        .assertThat(receipt.at("/usage/prompt_tokens").asLong())
        .withFailMessage(
            "the receipt's usage must still record the node's claim of %d prompt tokens, got %s",
            MILLION, receipt.get("usage"))
        .isEqualTo(MILLION);
    softly.check(books::check);
    softly.assertAll();
  }

  private JsonNode receiptOf(String requestId) throws Exception {
    JsonNode envelope = books.receipt(requestId);
    assertThat(envelope)
        .withFailMessage("%s: a complete answer but no receipt within 30 s", requestId)
        .isNotNull();
    return envelope.get("receipt");
  }
}
