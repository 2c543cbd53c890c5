package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node agent killed with SIGKILL mid-stream on the serverless path ({@link
 * ServerlessDeployment}): API Gateway's {@code $disconnect} reaches the socket function, which
 * tells the job's relay {@code node_lost}; the chat function ends the client's stream with an error
 * event and no {@code [DONE]}. The node sent no proof, so nothing is billed: no receipt, the
 * account's balance as before.
 */
class ServerlessNodeCrashIT {
  @TempDir Path dir;
  private final FakeOpenAiServer upstream = FakeOpenAiServer.builder().model("llama").start();
  private ServerlessDeployment deployment;

  @AfterEach
  void stop() throws Exception {
    if (deployment != null) {
      deployment.close();
    }
    upstream.close();
  }

  @ParameterizedTest(name = "a node on {0}")
  @ValueSource(strings = {"websocket", "polling"})
  void aNodeKilledMidStream_endsTheStreamWithAnError_andIsBilledNothing(String transport)
      throws Exception {
    upstream.setTokenDelay(Duration.ofMillis(100));
    String[] args = {"--upstream", upstream.baseUrl(), "--price-in", "2", "--price-out", "4"};
    deployment =
        transport.equals("polling") // no $disconnect: the stream's own deadlines end it
            ? ServerlessDeployment.polling(dir, 5_000_000, args)
            : new ServerlessDeployment(dir, 5_000_000, args);
    long before = deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT));
    String body =
        "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(100)
            + "\"}]}";

    CompletableFuture<Sse> stream =
        CompletableFuture.supplyAsync(() -> {
          try {
            return Sse.post(deployment.baseUrl(), deployment.key, body, 10_000);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    NodeCrashIT.awaitActive(upstream);
    Thread.sleep(500); // a few tokens out
    deployment.node.kill();
    Sse sse = stream.get(60, TimeUnit.SECONDS);

    assertThat(sse.status).isEqualTo(200);
    assertThat(sse.text()).startsWith("Echo: word");
    assertThat(sse.endedWithDone()).isFalse();
    assertThat(sse.last().has("error")).as(sse.last().toString()).isTrue();
    assertThat(sse.last().at("/error/code").asText()).isEqualTo("node_lost");
    assertThat(sse.last().at("/error/message").asText())
        .as("a polling node has no $disconnect: the chat function saw it leave the registry")
        .contains(transport.equals("polling") ? "the node left the registry" : "disconnected");
    deployment.awaitInvocationsEnded(); // a settlement, if one were (wrongly) made, is in by now
    assertThat(deployment.receipt(sse.headerRequestId)).as("no proof, no receipt").isEmpty();
    assertThat(deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT)))
        .as("nothing charged")
        .isEqualTo(before);
  }
}
