package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.testkit.FakeOpenAiServer;
import dev.pinaivu.testkit.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node agent processes killed with SIGKILL while serving, as a crashed machine would be; the books
 * balance after each ({@link Books}): the killed node sent no proof, so its attempt is billed to
 * nobody, and the request is settled at most once.
 */
class NodeCrashIT {
  @TempDir Path dir;
  private final FakeOpenAiServer cheapUpstream = FakeOpenAiServer.builder().model("llama").start();
  private final FakeOpenAiServer dearUpstream = FakeOpenAiServer.builder().model("llama").start();
  private Network network;

  @AfterEach
  void stop() throws Exception {
    if (network != null) {
      network.close();
    }
    cheapUpstream.close();
    dearUpstream.close();
  }

  /** Waits until {@code upstream} is answering a chat request (the job reached the node). */
  static void awaitActive(FakeOpenAiServer upstream) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (upstream.activeChatRequests() == 0) {
      assertThat(System.nanoTime()).as("the upstream never received the job").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void nodeKilledMidStream_clientGetsAnErrorEventAndNoDone() throws Exception {
    cheapUpstream.setTokenDelay(Duration.ofMillis(100));
    network = new Network(dir);
    NodeProcess node = network.addNode("cheap", "--upstream", cheapUpstream.baseUrl());
    network.awaitLive(1);
    Books books = new Books(network);
    ClientKey key = new Admin(network).devKey();
    String body =
        "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
            + "word ".repeat(100)
            + "\"}]}";

    CompletableFuture<Sse> stream =
        CompletableFuture.supplyAsync(() -> {
          try {
            return books.track(key, Sse.post(network.baseUrl(), key.secret(), body, 10_000));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    awaitActive(cheapUpstream);
    Thread.sleep(500);
    node.kill();
    Sse sse = stream.get(30, TimeUnit.SECONDS);

    assertThat(sse.status).isEqualTo(200);
    assertThat(sse.text()).startsWith("Echo: word");
    assertThat(sse.endedWithDone()).isFalse();
    assertThat(sse.last().get("error").get("message").asText()).contains("failed");
    assertThat(books.receipts()).doesNotContainKey(sse.headerRequestId);
    books.check();
  }

  @Test
  void nodeKilledBeforeItsFirstToken_anotherNodeAnswers() throws Exception {
    cheapUpstream.failNext(1, Fault.hang());
    network = new Network(dir);
    NodeProcess cheap =
        network.addNode("cheap", "--upstream", cheapUpstream.baseUrl(), "--price-in", "0.1");
    network.addNode("dear", "--upstream", dearUpstream.baseUrl(), "--price-in", "9");
    network.awaitLive(2);
    Books books = new Books(network);
    ClientKey key = new Admin(network).devKey();
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(network.baseUrl())
            .apiKey(key.secret())
            .maxRetries(0)
            .build();

    CompletableFuture<ChatCompletion> answer =
        CompletableFuture.supplyAsync(() ->
            client
                .chat()
                .completions()
                .create(
                    ChatCompletionCreateParams.builder()
                        .model("llama")
                        .addUserMessage("still there?")
                        .build()));
    awaitActive(cheapUpstream);
    cheap.kill();

    ChatCompletion completion = books.track(key, answer.get(30, TimeUnit.SECONDS));
    assertThat(completion.choices().get(0).message().content()).hasValue("Echo: still there?");
    assertThat(dearUpstream.chatRequests()).hasSize(1);
    client.close();
    assertThat(books.receipts().values())
        .singleElement()
        .as("billed once, at the price of the node that answered")
        .satisfies(r ->
            assertThat(r.at("/receipt/charge/input_micros_per_mtok").asLong())
                .isEqualTo(9_000_000));
    books.check();
  }
}
