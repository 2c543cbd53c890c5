package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceOptions;
import com.openai.models.responses.WebSearchTool;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses API ({@code POST /v1/responses}) through the official OpenAI Java SDK's {@code
 * responses()}, against the local network: a node agent in its own JVM in front of a chat-only
 * OpenAI-compatible server, which must see the chat completion the request translates to (ADR 33).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesIT {
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

  @BeforeEach
  void reset() {
    upstream.clearRequests();
  }

  private static ResponseCreateParams.Builder params(String input) {
    return ResponseCreateParams.builder().model(MODEL).input(input);
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("The weather in a city")
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
        .strict(false)
        .build();
  }

  private static String text(Response response) {
    StringBuilder out = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message()
          .ifPresent(
              m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
    }
    return out.toString();
  }

  private List<ResponseStreamEvent> streamEvents(ResponseCreateParams params) {
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      stream.stream().forEach(events::add);
    }
    return events;
  }

  @Test
  void whole_textAnswer_withInstructions_asTheNodesChatServerSawIt() throws Exception {
    Response response =
        client.responses().create(params("Hello network").instructions("Be brief.").build());

    assertThat(text(response)).isEqualTo("Echo: Hello network");
    assertThat(response.status())
        .hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
    assertThat(response.id()).matches("resp_[0-9a-z]{26}");
    String requestId = response._additionalProperties().get("request_id").asStringOrThrow();
    assertThat(response.id()).isEqualTo("resp_" + requestId.substring(4));
    assertThat(response.model().asString()).isEqualTo(MODEL);
    assertThat(response.usage()).isPresent();
    assertThat(response.usage().get().inputTokens()).isPositive();
    assertThat(response.usage().get().outputTokens()).isPositive();
    assertThat(response.usage().get().totalTokens())
        .isEqualTo(response.usage().get().inputTokens() + response.usage().get().outputTokens());
    assertThat(response.instructions()).isPresent();

    JsonNode chat = upstream.lastChatRequest().json();
    assertThat(chat.path("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello network\"}]");
    assertThat(chat.has("input")).isFalse();
  }

  @Test
  void streamed_eventSequence_accumulatesToTheAnswer_withUsageAndCost() {
    List<ResponseStreamEvent> events =
        streamEvents(params("Hello stream").maxOutputTokens(50).build());

    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(1).isInProgress()).isTrue();
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(events).filteredOn(ResponseStreamEvent::isOutputTextDelta).hasSizeGreaterThan(1);
    List<Long> sequence = new ArrayList<>();
    events.forEach(e -> sequence.add(Json.MAPPER.valueToTree(e).path("sequence_number").asLong()));
    assertThat(sequence).isSorted().doesNotHaveDuplicates().startsWith(0L);

    ResponseAccumulator accumulator = ResponseAccumulator.create();
    events.forEach(accumulator::accumulate);
    Response response = accumulator.response();
    assertThat(text(response)).isEqualTo("Echo: Hello stream");
    Response completed = events.get(events.size() - 1).asCompleted().response();
    assertThat(completed.usage()).isPresent();
    assertThat(completed.usage().get().outputTokens()).isPositive();
    assertThat(completed.usage().get()._additionalProperties().get("cost")).isNotNull();
    assertThat(upstream.lastChatRequest().json().path("max_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void toolCall_wholeAndStreamed_thenTheResultGoesBackAsAToolMessage() {
    ResponseCreateParams ask =
        params("Weather in Paris?")
            .addTool(weatherTool())
            .toolChoice(ToolChoiceOptions.REQUIRED)
            .build();

    Response whole = client.responses().create(ask);
    ResponseFunctionToolCall call =
        whole.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.callId()).isNotBlank();
    JsonNode arguments = parse(call.arguments());
    assertThat(arguments.isObject()).isTrue();
    JsonNode upstreamTools = upstream.lastChatRequest().json().path("tools");
    assertThat(upstreamTools.path(0).path("function").path("name").asText())
        .isEqualTo("get_weather");
    assertThat(upstream.lastChatRequest().json().path("tool_choice").asText())
        .isEqualTo("required");

    ResponseAccumulator accumulator = ResponseAccumulator.create();
    streamEvents(ask.toBuilder().build()).forEach(accumulator::accumulate);
    ResponseFunctionToolCall streamed =
        accumulator.response().output().stream()
            .flatMap(i -> i.functionCall().stream())
            .findFirst()
            .orElseThrow();
    assertThat(streamed.name()).isEqualTo("get_weather");
    assertThat(parse(streamed.arguments())).isEqualTo(arguments);

    Response answer =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model(MODEL)
                    .inputOfResponse(
                        List.of(
                            ResponseInputItem.ofMessage(
                                ResponseInputItem.Message.builder()
                                    .role(ResponseInputItem.Message.Role.USER)
                                    .addInputTextContent("Weather in Paris?")
                                    .build()),
                            ResponseInputItem.ofFunctionCall(call),
                            ResponseInputItem.ofFunctionCallOutput(
                                ResponseInputItem.FunctionCallOutput.builder()
                                    .callId(call.callId())
                                    .output("{\"sky\":\"clear\"}")
                                    .build())))
                    .addTool(weatherTool())
                    .build());
    assertThat(text(answer)).isEqualTo("Echo: Weather in Paris?");
    JsonNode messages = upstream.lastChatRequest().json().path("messages");
    assertThat(messages.path(1).path("role").asText()).isEqualTo("assistant");
    assertThat(messages.path(1).path("tool_calls").path(0).path("id").asText())
        .isEqualTo(call.callId());
    assertThat(messages.path(2).path("role").asText()).isEqualTo("tool");
    assertThat(messages.path(2).path("tool_call_id").asText()).isEqualTo(call.callId());
    assertThat(messages.path(2).path("content").asText()).isEqualTo("{\"sky\":\"clear\"}");
  }

  @Test
  void jsonSchemaFormat_reachesTheNodeAsResponseFormat() {
    client
        .responses()
        .create(
            params("Give me JSON")
                .text(
                    ResponseTextConfig.builder()
                        .format(
                            ResponseFormatTextJsonSchemaConfig.builder()
                                .name("answer")
                                .schema(
                                    ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                        .putAdditionalProperty("type", JsonValue.from("object"))
                                        .build())
                                .strict(true)
                                .build())
                        .build())
                .build());

    JsonNode format = upstream.lastChatRequest().json().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("answer");
    assertThat(format.path("json_schema").path("schema").path("type").asText()).isEqualTo("object");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
  }

  @Test
  void statefulFeatures_areRefusedWith400NamingTheParameter_beforeAnyNodeRuns() {
    assertThatThrownBy(
            () -> client.responses().create(params("again").previousResponseId("resp_x").build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(param(e)).isEqualTo("previous_response_id"));
    assertThatThrownBy(() -> client.responses().create(params("keep it").store(true).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(param(e)).isEqualTo("store"));
    assertThatThrownBy(() -> client.responses().create(params("bg").background(true).build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(param(e)).isEqualTo("background"));
    assertThatThrownBy(() ->
            client
                .responses()
                .create(
                    params("search")
                        .addTool(
                            WebSearchTool.builder().type(WebSearchTool.Type.WEB_SEARCH).build())
                        .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(param(e)).isEqualTo("tools[0].type"));
    assertThat(upstream.chatRequests()).isEmpty();
  }

  /**
   * The receipt of a Responses request commits to the client's own bytes, both ways: the request
   * hash is {@code sha256sum} of the body it sent, the client response hash of the body it got, and
   * the cost it was shown is what it was charged.
   */
  @Test
  void receipt_hashesTheClientsOwnRequestAndResponseBytes_wholeAndStreamed() throws Exception {
    String whole = "{\"model\":\"llama\",\"input\":\"receipt, please\"}";
    String streamed = "{\"model\":\"llama\",\"input\":\"receipt, please\",\"stream\":true}";
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (String body : List.of(whole, streamed)) {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(network.baseUrl() + "/responses"))
                    .header("Authorization", "Bearer " + network.key())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(200);
        JsonNode response = lastResponse(text);
        assertThat(response.path("status").asText()).as(text).isEqualTo("completed");
        String requestId = response.path("request_id").asText();
        assertThat(r.headers().firstValue("x-request-id")).hasValue(requestId);
        long costMicros =
            response.at("/usage/cost").decimalValue().movePointRight(6).longValueExact();

        HttpResult receipt =
            HttpResult.get(network.baseUrl() + "/receipts/" + requestId, network.key());
        JsonNode signed = Json.parse(receipt.body).path("receipt");
        assertThat(signed.path("request_sha256").asText())
            .isEqualTo(Sha256.hex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(signed.path("client_response_sha256").asText()).isEqualTo(Sha256.hex(r.body()));
        assertThat(signed.at("/charge/total_charged").asLong()).isEqualTo(costMicros).isPositive();
        assertThat(signed.path("node_id").asText()).isEqualTo(response.path("node_id").asText());
      }
    }
  }

  /** The response object: the whole body, or the one in a stream's last event. */
  private static JsonNode lastResponse(String body) throws Exception {
    if (body.trim().startsWith("{")) {
      return Json.parse(body);
    }
    JsonNode last = null;
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) {
        last = Json.parse(line.substring(6));
      }
    }
    assertThat(last).as(body).isNotNull();
    assertThat(last.path("type").asText()).isEqualTo("response.completed");
    JsonNode response = last.path("response");
    assertThat(body).doesNotContain("[DONE]");
    return response;
  }

  /** The {@code param} of the OpenAI error body the SDK read. */
  private static String param(BadRequestException e) {
    JsonNode body = parse(Json.text(e.body()));
    JsonNode error = body.has("error") ? body.get("error") : body;
    return error.path("param").asText(null);
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
