package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.usage.StoredReceipt;
import dev.pinaivu.functions.store.DynamoDbLedger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serverless deployment end to end on this machine ({@link ServerlessDeployment}): the official
 * OpenAI SDK through the streaming REST API stand-in into the real chat function in its runtime
 * loop, dispatched over the WebSocket API stand-in to a real {@code pinaivu node} process, on
 * dynalite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessChatIT {
  private static final String MODEL = "pinaivu-demo-echo";
  private static final String ACCOUNT = ServerlessDeployment.ACCOUNT;
  private static final long CREDIT = 5_000_000;

  @TempDir static Path dir;

  private ServerlessDeployment deployment;
  private OpenAIClient client;

  @BeforeAll
  void start() throws Exception {
    deployment = new ServerlessDeployment(dir, CREDIT, "--price-in", "2", "--price-out", "4");
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

  private DynamoDbLedger ledger() {
    return deployment.ledger();
  }

  private static ChatCompletionCreateParams params(String model, String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
  }

  @Test
  void aStreamedAnswerArrivesChunkByChunkWithItsRequestId_andIsBilledByItsReceipt()
      throws Exception {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params(MODEL, "hello through lambda"))) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    assertThat(text.toString()).contains("You said: hello through lambda");
    String requestId =
        chunks.getFirst()._additionalProperties().get("request_id").asStringOrThrow();
    assertThat(chunks)
        .allSatisfy(c ->
            assertThat(c._additionalProperties().get("request_id").asStringOrThrow())
                .isEqualTo(requestId));

    StoredReceipt receipt = deployment.awaitReceipt(requestId);
    assertThat(receipt.accountId()).isEqualTo(ACCOUNT);
    assertThat(receipt.model()).isEqualTo(MODEL);
    assertThat(receipt.completionTokens()).isPositive();
    assertThat(receipt.nodeId())
        .isEqualTo(deployment.registry.all(System.currentTimeMillis()).getFirst().nodeId().value());
  }

  @Test
  void aWholeAnswerComesBackAsOneCompletion_andTheBooksBalance() throws Exception {
    long before = ledger().balance(AccountId.client(ACCOUNT));
    ChatCompletion completion = client.chat().completions().create(params(MODEL, "once, whole"));
    assertThat(completion.choices().getFirst().message().content().orElseThrow())
        .contains("You said: once, whole");
    String requestId = completion._additionalProperties().get("request_id").asStringOrThrow();

    StoredReceipt receipt = deployment.awaitReceipt(requestId);
    long after = ledger().balance(AccountId.client(ACCOUNT));
    assertThat(before - after)
        .as("the client paid exactly what its receipt says")
        .isEqualTo(receipt.totalChargedMicros())
        .isPositive();
  }

  @Test
  void aBadKeyIs401_andAModelNoNodeServesIs404_asTheLocalGatewayAnswers() {
    OpenAIClient stranger =
        OpenAIOkHttpClient.builder()
            .baseUrl(deployment.baseUrl())
            .apiKey("sk-pnv-not-a-key")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> stranger.chat().completions().create(params(MODEL, "hi")))
          .isInstanceOf(UnauthorizedException.class);
    } finally {
      stranger.close();
    }
    assertThatThrownBy(() -> client.chat().completions().create(params("no-such-model", "hi")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("does not exist");
  }
}
