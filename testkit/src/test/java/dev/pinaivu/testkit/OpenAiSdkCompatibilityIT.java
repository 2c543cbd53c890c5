package dev.pinaivu.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.CompletionUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK reads the fake's answers, whole and streamed. */
class OpenAiSdkCompatibilityIT {

  /** A tool the SDK turns into a JSON schema; the fake fills its fields. */
  public static class GetWeather {
    public String city;
    public int days;
  }

  private FakeOpenAiServer server;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    server = FakeOpenAiServer.builder().start();
    client =
        OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("x").maxRetries(0).build();
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  @Test
  void sdk_readsTextWholeAndStreamed_toTheSameCompletion() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("fake-model")
            .addUserMessage("Hello there, world!")
            .n(2)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();

    ChatCompletion whole = client.chat().completions().create(params);
    ChatCompletion streamed = accumulate(params);

    assertThat(whole.choices()).hasSize(2);
    assertThat(whole.choices().get(1).message().content()).hasValue("Echo: Hello there, world!");
    assertThat(whole.choices().get(1).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(streamed.choices()).hasSize(2);
    for (int index = 0; index < 2; index++) {
      assertThat(streamed.choices().get(index).message().content())
          .isEqualTo(whole.choices().get(index).message().content());
      assertThat(streamed.choices().get(index).finishReason())
          .isEqualTo(whole.choices().get(index).finishReason());
    }
    assertThat(streamed.usage().map(CompletionUsage::totalTokens))
        .isEqualTo(whole.usage().map(CompletionUsage::totalTokens))
        .hasValue(5L + 2 * 7L);
  }

  @Test
  void sdk_readsAToolCallWholeAndStreamed_withTheSameArguments() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("fake-model")
            .addUserMessage("Weather in Paris?")
            .addTool(GetWeather.class)
            .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
            .build();

    ChatCompletion whole = client.chat().completions().create(params);
    ChatCompletion streamed = accumulate(params);

    ChatCompletionMessageFunctionToolCall call = onlyToolCall(whole);
    assertThat(call.function().name()).isEqualTo("GetWeather");
    GetWeather arguments = call.function().arguments(GetWeather.class);
    assertThat(arguments.city).isEqualTo("Weather in Paris?");
    assertThat(arguments.days).isEqualTo(4);
    assertThat(whole.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall streamedCall = onlyToolCall(streamed);
    assertThat(streamedCall.id()).startsWith("call_");
    assertThat(streamedCall.function().name()).isEqualTo("GetWeather");
    assertThat(streamedCall.function().arguments()).isEqualTo(call.function().arguments());
  }

  @Test
  void sdk_reassemblesALargeStreamedToolCall() {
    server.setToolArgumentsBytes(8 * 1024);
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("fake-model")
            .addUserMessage("Weather in Paris?")
            .addTool(GetWeather.class)
            .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
            .build();

    String whole = onlyToolCall(client.chat().completions().create(params)).function().arguments();
    String streamed = onlyToolCall(accumulate(params)).function().arguments();

    assertThat(whole.length()).isGreaterThanOrEqualTo(8 * 1024);
    assertThat(streamed).isEqualTo(whole);
  }

  private ChatCompletion accumulate(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.chatCompletion();
  }

  private static ChatCompletionMessageFunctionToolCall onlyToolCall(ChatCompletion completion) {
    assertThat(completion.choices().getFirst().message().toolCalls())
        .hasValueSatisfying(calls -> assertThat(calls).hasSize(1));
    return completion
        .choices()
        .getFirst()
        .message()
        .toolCalls()
        .orElseThrow()
        .getFirst()
        .asFunction();
  }
}
