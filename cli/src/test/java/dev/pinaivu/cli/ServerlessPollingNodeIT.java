package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.usage.StoredReceipt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPU agent that polls for jobs (ADR 39) on the serverless deployment, end to end on this
 * machine: a real {@code pinaivu node --gateway-handshake POLL} process holds no connection, it
 * long-polls {@code /v1/nodes/exchange} on the REST API stand-in (the real {@code
 * NodePollHandler}), jobs reach it through its queue on ElasticMQ, and its frames go back through
 * the same handler to the chat invocation's relay. The OpenAI SDK sees nothing different.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessPollingNodeIT {
  private static final String MODEL = "pinaivu-demo-echo";
  private static final long CREDIT = 5_000_000;

  @TempDir static Path dir;

  private ServerlessDeployment deployment;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    deployment = ServerlessDeployment.polling(dir, CREDIT, "--price-in", "2", "--price-out", "4");
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(deployment.baseUrl())
            .apiKey(deployment.key)
            .maxRetries(0)
            .build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    deployment.close();
  }

  private static ChatCompletionCreateParams params(String text) {
    return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(text).build();
  }

  @Test
  void thePollingNode_isInTheRegistryOnItsSession_notOnAWebSocket() {
    List<RegisteredNode> live = deployment.registry.all(System.currentTimeMillis());

    assertThat(live).singleElement();
    assertThat(live.getFirst().entry().connection())
        .startsWith("ws/poll." + live.getFirst().nodeId().value() + ".");
  }

  @Test
  void aStreamedAnswer_comesFromThePollingNode_chunkByChunk_andIsBilledByItsReceipt()
      throws Exception {
    long before = deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params("hello from a poller"))) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    assertThat(text.toString()).contains("You said: hello from a poller");
    String requestId =
        chunks.getFirst()._additionalProperties().get("request_id").asStringOrThrow();

    StoredReceipt receipt = deployment.awaitReceipt(requestId);
    deployment.awaitInvocationsEnded();
    long after = deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT));
    assertThat(receipt.nodeId())
        .isEqualTo(deployment.registry.all(System.currentTimeMillis()).getFirst().nodeId().value());
    assertThat(before - after)
        .as("the client paid exactly what its receipt says")
        .isEqualTo(receipt.totalChargedMicros())
        .isPositive();
  }

  @Test
  void wholeAnswers_oneAfterAnother_eachSettledOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      ChatCompletion completion = client.chat().completions().create(params("whole " + i));
      assertThat(completion.choices().getFirst().message().content().orElseThrow())
          .contains("You said: whole " + i);
      String requestId = completion._additionalProperties().get("request_id").asStringOrThrow();
      assertThat(deployment.awaitReceipt(requestId).completionTokens()).isPositive();
    }
  }
}
