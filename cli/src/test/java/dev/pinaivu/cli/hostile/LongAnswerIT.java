package dev.pinaivu.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.agent.backend.DemoBackend;
import dev.pinaivu.cli.Admin;
import dev.pinaivu.cli.Books;
import dev.pinaivu.cli.ClientKey;
import dev.pinaivu.cli.HttpResult;
import dev.pinaivu.cli.Network;
import dev.pinaivu.core.chat.ChatSettings;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.connections.ClientLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-streamed answer that takes longer than the old limit (ADR 23), scaled down: the real agent
 * answers after 3 s, where the first-output deadline (the old total for non-streamed answers) is 2
 * s and the gateway's HTTP idle timeout 1 s. Keep-alive whitespace holds the client connection; the
 * answer arrives whole, once, and is billed.
 */
class LongAnswerIT {
  @TempDir Path dir;
  private Network network;

  @AfterEach
  void stop() throws Exception {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void nonStreamedAnswerSlowerThanTheFirstOutputDeadline_arrivesWhole() throws Exception {
    network =
        new Network(
            dir,
            ChatSettings.DEFAULT
                .withFirstOutputTimeout(Duration.ofSeconds(2))
                .withAcceptTimeout(Duration.ofSeconds(1))
                .withAnswerTimeout(Duration.ofSeconds(20))
                .withKeepAliveInterval(Duration.ofMillis(300)),
            ClientLimits.DEFAULTS.withTimeouts(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1)));
    Books books = new Books(network);
    ClientKey key = new Admin(network).devKey();
    network.addNode("slow", "--demo-first-token-ms", "3000", "--demo-token-ms", "1");
    network.awaitLive(1);

    long start = System.nanoTime();
    HttpResult r =
        books.track(
            key,
            HttpResult.post(
                network.baseUrl(),
                key.secret(),
                "{\"model\":\""
                    + DemoBackend.MODEL
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"take your time\"}]}"));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.status).as(r.body).isEqualTo(200);
    assertThat(r.body).startsWith("\n"); // the keep-alive whitespace, before the JSON body
    JsonNode completion = Json.parse(r.body);
    assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
    assertThat(completion.get("request_id").asText()).isEqualTo(r.requestId);
    assertThat(millis).isGreaterThanOrEqualTo(3000);
    JsonNode receipt = books.receipt(r.requestId).get("receipt");
    assertThat(receipt.get("outcome").asText()).isEqualTo("completed");
    books.check();
  }
}
