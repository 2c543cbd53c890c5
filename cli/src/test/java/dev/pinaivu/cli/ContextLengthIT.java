package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt over the model's context through the official OpenAI Java SDK, against a real node agent
 * whose model says {@code context_length} 8192 (ADR 32): OpenAI's 400 {@code
 * context_length_exceeded} at once, whether the gateway sees it or only the model server does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContextLengthIT {
  private static final String MODEL = "llama";

  private FakeOpenAiServer upstream;
  private Network network;
  private OpenAIClient client;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = FakeOpenAiServer.builder().model(FakeModel.of(MODEL).withMaxModelLen(8192)).start();
    network = new Network(dir);
    network.addNode(
        "node", "--upstream", upstream.baseUrl(), "--price-in", "0.10", "--price-out", "0.20");
    network.awaitLive(1);
    client = network.sdkClient();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    network.close();
    upstream.close();
  }

  private static ChatCompletionCreateParams ask(String prompt, Long maxTokens) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(prompt);
    if (maxTokens != null) {
      params.maxCompletionTokens(maxTokens);
    }
    return params.build();
  }

  @Test
  void a250KbPrompt_is400ContextLengthExceededAtOnce_andNeverReachesTheModelServer() {
    upstream.clearRequests();
    long start = System.nanoTime();

    assertThatThrownBy(() -> client.chat().completions().create(ask("word ".repeat(50_000), null)))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).contains("context_length_exceeded");
              assertThat(e.param()).contains("messages");
              assertThat(e.getMessage()).contains("maximum context length is 8192 tokens");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(upstream.chatRequestCount()).isZero();
  }

  @Test
  void aPromptOnlyTheModelServerFindsTooLong_reachesTheClientAs400ContextLengthExceeded() {
    // 16 KB: under the gateway's floor, but 8000 tokens to the model server, plus 4000 to write
    assertThatThrownBy(() -> client.chat().completions().create(ask("a ".repeat(8000), 4000L)))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).contains("context_length_exceeded");
              assertThat(e.param()).contains("messages");
            });
  }
}
