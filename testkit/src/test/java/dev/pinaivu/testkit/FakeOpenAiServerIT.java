package dev.pinaivu.testkit;

import static dev.pinaivu.testkit.TestHttp.chat;
import static dev.pinaivu.testkit.TestHttp.chatWith;
import static dev.pinaivu.testkit.TestHttp.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerIT {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String WEATHER_TOOL =
      """
      "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",\
      "properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}}]\
      """;

  private FakeOpenAiServer server;
  private TestHttp http;

  @BeforeEach
  void start() {
    server =
        FakeOpenAiServer.builder()
            .model("fake-model")
            .model(FakeModel.of("small").withMaxModelLen(16))
            .start();
    http = new TestHttp(server.baseUrl());
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void models_listsEachModelInOpenAiListShape_withMaxModelLenWhereSet() throws Exception {
    JsonNode list = parse(http.get("/models").body());

    assertThat(server.baseUrl()).startsWith("http://127.0.0.1:").endsWith("/v1");
    assertThat(list.path("object").asText()).isEqualTo("list");
    assertThat(list.path("data")).hasSize(2);
    JsonNode first = list.path("data").get(0);
    assertThat(first.path("id").asText()).isEqualTo("fake-model");
    assertThat(first.path("object").asText()).isEqualTo("model");
    assertThat(first.path("created").asLong()).isPositive();
    assertThat(first.path("owned_by").asText()).isEqualTo("fake");
    assertThat(first.has("max_model_len")).isFalse();
    assertThat(list.path("data").get(1).path("max_model_len").asInt()).isEqualTo(16);
    assertThat(parse(http.get("/models/small").body()).path("id").asText()).isEqualTo("small");
  }

  @Test
  void chat_answersInOpenAiShape_echoingTheLastUserMessage() throws Exception {
    HttpResponse<String> response = http.postChat(chat("Hello there, world!"));
    JsonNode body = parse(response.body());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("model").asText()).isEqualTo("fake-model");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText())
        .isEqualTo("Echo: Hello there, world!");
    assertThat(choice.path("message").has("tool_calls")).isFalse();
    assertThat(choice.path("logprobs").isNull()).isTrue();
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    // prompt: "Be"," brief","." + "Hello"," there",","," world","!"; reply adds "Echo",":"
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(8);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(15);
  }

  @Test
  void chat_withMaxTokens_cutsTheReplyWithFinishReasonLength() throws Exception {
    JsonNode body = parse(http.postChat(chatWith("one two three four", "\"max_tokens\":3")).body());
    JsonNode viaNewName =
        parse(http.postChat(chatWith("one two three four", "\"max_completion_tokens\":3")).body());

    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Echo: one");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    assertThat(viaNewName.path("choices")).isEqualTo(body.path("choices"));
  }

  @Test
  void chat_withN_answersNChoicesIndexedFromZero() throws Exception {
    JsonNode body = parse(http.postChat(chatWith("hi", "\"n\":3")).body());
    TestHttp.Sse stream = http.stream(chatWith("hi", "\"n\":3,\"stream\":true"));

    assertThat(body.path("choices"))
        .extracting(choice -> choice.path("index").asInt())
        .containsExactly(0, 1, 2);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(9);
    for (int index = 0; index < 3; index++) {
      assertThat(streamedText(stream, index)).isEqualTo("Echo: hi");
    }
  }

  @Test
  void stream_sendsRoleChunk_thenOneChunkPerToken_thenFinishReason_thenDone() throws Exception {
    HttpResponse<String> raw = http.postChat(chatWith("Hello there, world!", "\"stream\":true"));
    TestHttp.Sse stream = http.stream(chatWith("Hello there, world!", "\"stream\":true"));

    assertThat(raw.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(raw.body()).endsWith("data: [DONE]\n\n");
    assertThat(stream.done()).isTrue();
    assertThat(stream.chunks()).hasSize(1 + 7 + 1);
    JsonNode first = stream.chunks().getFirst();
    assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.path("id").asText()).startsWith("chatcmpl-");
    assertThat(first.path("model").asText()).isEqualTo("fake-model");
    assertThat(first.path("choices").get(0).path("delta"))
        .isEqualTo(parse("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertThat(stream.chunks()).allSatisfy(chunk -> assertThat(chunk.has("usage")).isFalse());
    assertThat(stream.chunks().get(1).path("choices").get(0).path("delta").path("content").asText())
        .isEqualTo("Echo");
    assertThat(streamedText(stream, 0)).isEqualTo("Echo: Hello there, world!");
    JsonNode last = stream.last().path("choices").get(0);
    assertThat(last.path("delta").isEmpty()).isTrue();
    assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void stream_withIncludeUsage_endsWithAChunkWithNoChoicesAndTheUsage() throws Exception {
    TestHttp.Sse stream =
        http.stream(
            chatWith("Hello", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

    JsonNode usageChunk = stream.last();
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage"))
        .isEqualTo(parse("{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}"));
    assertThat(stream.chunks().subList(0, stream.chunks().size() - 1))
        .allSatisfy(chunk -> assertThat(chunk.path("usage").isNull()).isTrue());
    assertThat(stream.done()).isTrue();
  }

  @Test
  void usageFactor_inflatesTheReportedUsageButNotTheText() throws Exception {
    server.setUsageFactor(1000);
    JsonNode body = parse(http.postChat(chatWith("Hello", "")).body());
    TestHttp.Sse stream =
        http.stream(
            chatWith("Hello", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    server.setUsageFactor(1);

    assertThat(body.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("Echo: Hello");
    assertThat(body.path("usage"))
        .isEqualTo(parse("{\"prompt_tokens\":4,\"completion_tokens\":3000,\"total_tokens\":3004}"));
    assertThat(streamedText(stream, 0)).isEqualTo("Echo: Hello");
    assertThat(stream.last().path("usage").path("completion_tokens").asInt()).isEqualTo(3000);
    assertThatThrownBy(() -> server.setUsageFactor(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolCall_whole_whenToolChoiceIsRequired_callsTheFirstTool() throws Exception {
    JsonNode body =
        parse(
            http.postChat(chatWith("Paris", WEATHER_TOOL + ",\"tool_choice\":\"required\""))
                .body());

    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.path("message").path("content").isNull()).isTrue();
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).startsWith("call_");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(parse(call.path("function").path("arguments").asText()))
        .isEqualTo(parse("{\"city\":\"Paris\",\"days\":1}"));
  }

  @Test
  void toolCall_streamed_reassemblesToTheSameArgumentsAsTheWholeAnswer() throws Exception {
    server.setToolArgumentsBytes(8192);
    String named =
        WEATHER_TOOL
            + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}";
    JsonNode whole = parse(http.postChat(chatWith("Weather in Paris?", named)).body());
    TestHttp.Sse stream = http.stream(chatWith("Weather in Paris?", named + ",\"stream\":true"));

    JsonNode opening = stream.chunks().getFirst().path("choices").get(0).path("delta");
    assertThat(opening.path("role").asText()).isEqualTo("assistant");
    JsonNode firstCall = opening.path("tool_calls").get(0);
    assertThat(firstCall.path("index").asInt()).isZero();
    assertThat(firstCall.path("id").asText()).startsWith("call_");
    assertThat(firstCall.path("type").asText()).isEqualTo("function");
    assertThat(firstCall.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(firstCall.path("function").path("arguments").asText()).isEmpty();
    List<JsonNode> fragments =
        stream.chunks().stream()
            .skip(1)
            .map(chunk -> chunk.path("choices").path(0).path("delta").path("tool_calls").path(0))
            .filter(call -> !call.isMissingNode())
            .toList();
    assertThat(fragments).hasSizeGreaterThan(100);
    assertThat(fragments).allSatisfy(call -> assertThat(call.has("id")).isFalse());
    String streamed =
        String.join(
            "",
            fragments.stream().map(f -> f.path("function").path("arguments").asText()).toList());
    String wholeArguments = whole.at("/choices/0/message/tool_calls/0/function/arguments").asText();
    assertThat(streamed).isEqualTo(wholeArguments);
    assertThat(streamed.length()).isGreaterThanOrEqualTo(8192);
    assertThat(parse(streamed).path("city").asText()).isEqualTo("Weather in Paris?");
    assertThat(stream.last().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(stream.done()).isTrue();
  }

  @Test
  void logprobs_whenAsked_giveOneEntryPerToken_inBothShapes() throws Exception {
    String fields = "\"logprobs\":true,\"top_logprobs\":2";
    JsonNode body = parse(http.postChat(chatWith("Hi you", fields)).body());
    TestHttp.Sse stream = http.stream(chatWith("Hi you", fields + ",\"stream\":true"));

    JsonNode content = body.at("/choices/0/logprobs/content");
    assertThat(content)
        .extracting(entry -> entry.path("token").asText())
        .containsExactly("Echo", ":", " Hi", " you");
    assertThat(content.get(2).path("logprob").asDouble()).isBetween(-3.0, 0.0);
    assertThat(content.get(2).path("bytes")).hasSize(3);
    assertThat(content.get(2).path("top_logprobs")).hasSize(2);
    JsonNode streamedEntry = stream.chunks().get(3).at("/choices/0/logprobs/content/0");
    assertThat(streamedEntry).isEqualTo(content.get(2));
  }

  @Test
  void recordedRequest_isExactlyWhatWasSent_ignoredFieldsIncluded() throws Exception {
    String body =
        chatWith(
            "Hello",
            "\"seed\":7,\"stop\":[\"\\n\"],\"response_format\":{\"type\":\"json_object\"},\"x_custom\":1");

    HttpResponse<String> response =
        http.send(http.chatRequest(body).header("X-Request-Id", "req_123").build());

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest recorded = server.lastChatRequest();
    assertThat(recorded.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.json()).isEqualTo(parse(body));
    assertThat(recorded.header("x-request-id")).isEqualTo("req_123");
    assertThat(recorded.header("Content-Type")).isEqualTo("application/json");
    assertThat(recorded.path()).isEqualTo("/v1/chat/completions");
    assertThat(recorded.awaitOutcome(WAIT)).isEqualTo(RequestOutcome.COMPLETED);
    assertThat(server.chatRequestCount()).isEqualTo(1);
    assertThat(server.activeChatRequests()).isZero();
  }

  @Test
  void unknownModel_is404_andTooLongForTheContext_is400_likeVllm() throws Exception {
    HttpResponse<String> unknown =
        http.postChat("{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    HttpResponse<String> tooLong =
        http.postChat(
            "{\"model\":\"small\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f g\"}]}");

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(parse(unknown.body()).at("/error/code").asText()).isEqualTo("model_not_found");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(parse(tooLong.body()).at("/error/code").asText())
        .isEqualTo("context_length_exceeded");
  }

  @Test
  void apiKey_whenConfigured_isRequiredOnV1() throws Exception {
    try (FakeOpenAiServer guarded = FakeOpenAiServer.builder().apiKey("secret").start()) {
      TestHttp guardedHttp = new TestHttp(guarded.baseUrl());

      HttpResponse<String> without = guardedHttp.postChat(chat("hi"));
      HttpResponse<String> with =
          guardedHttp.send(
              guardedHttp.chatRequest(chat("hi")).header("Authorization", "Bearer secret").build());

      assertThat(without.statusCode()).isEqualTo(401);
      assertThat(parse(without.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
      assertThat(with.statusCode()).isEqualTo(200);
    }
  }

  private static String streamedText(TestHttp.Sse stream, int index) {
    StringBuilder text = new StringBuilder();
    for (JsonNode chunk : stream.chunks()) {
      StreamSupport.stream(chunk.path("choices").spliterator(), false)
          .filter(choice -> choice.path("index").asInt() == index)
          .forEach(choice -> text.append(choice.path("delta").path("content").asText("")));
    }
    return text.toString();
  }
}
