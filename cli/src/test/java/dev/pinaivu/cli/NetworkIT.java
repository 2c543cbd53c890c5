package dev.pinaivu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.models.Model;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import dev.pinaivu.testkit.Fault;
import dev.pinaivu.testkit.RequestOutcome;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole local network as a user meets it: the gateway, two node agents in their own JVMs (each
 * in front of its own OpenAI-compatible server), driven by the official OpenAI Java SDK and by a
 * raw SSE client. Node "cheap" is always routed to first; node "dear" is the fallback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkIT {
  private static final String MODEL = "llama";
  private static final String REQUEST_ID = "req_[0-9a-hjkmnp-tv-z]{26}";
  private static final Duration FIRST_TOKEN_AFTER = Duration.ofSeconds(3);

  private FakeOpenAiServer cheapUpstream;
  private FakeOpenAiServer dearUpstream;
  private Network network;
  private OpenAIClient client;

  public static class GetWeather {
    public String city;
    public int days;
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cheapUpstream =
        FakeOpenAiServer.builder().model(FakeModel.of(MODEL).withMaxModelLen(8192)).start();
    dearUpstream =
        FakeOpenAiServer.builder().model(FakeModel.of(MODEL).withMaxModelLen(8192)).start();
    network = new Network(dir);
    network.addNode(
        "cheap",
        "--upstream",
        cheapUpstream.baseUrl(),
        "--price-in",
        "0.10",
        "--price-out",
        "0.20");
    network.addNode(
        "dear", "--upstream", dearUpstream.baseUrl(), "--price-in", "5", "--price-out", "10");
    network.awaitLive(2);
    client = network.sdkClient();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    network.close();
    cheapUpstream.close();
    dearUpstream.close();
  }

  @BeforeEach
  void reset() {
    for (FakeOpenAiServer s : List.of(cheapUpstream, dearUpstream)) {
      s.clearFaults();
      s.clearRequests();
      s.setTokenDelay(Duration.ZERO);
      s.setTimeToFirstToken(Duration.ZERO);
      s.setToolArgumentsBytes(0);
    }
  }

  private static ChatCompletionCreateParams.Builder params(String text) {
    return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(text);
  }

  private static String requestId(Map<String, JsonValue> extra) {
    return extra.get("request_id").asStringOrThrow();
  }

  private List<ChatCompletionChunk> streamChunks(ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  private static ChatCompletion accumulate(List<ChatCompletionChunk> chunks) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    chunks.forEach(accumulator::accumulate);
    return accumulator.chatCompletion();
  }

  @Test
  void models_listsWhatLiveNodesServe_withPriceNodesAndContext() throws Exception {
    List<Model> models = client.models().list().data();

    assertThat(models).extracting(Model::id).containsExactly(MODEL);
    Map<String, JsonValue> extra = models.get(0)._additionalProperties();
    JsonNode raw = Json.parse(Json.text(extra));
    assertThat(raw.get("nodes").asInt()).isEqualTo(2);
    assertThat(raw.get("pricing").get("prompt_per_million").asText()).isEqualTo("0.1");
    assertThat(raw.get("pricing").get("completion_per_million").asText()).isEqualTo("0.2");
    assertThat(raw.get("context_length").asInt()).isEqualTo(8192);
    assertThat(client.models().retrieve(MODEL).id()).isEqualTo(MODEL);
  }

  @Test
  void everyAnswer_namesItsNodeAndItsCost_asItsReceiptDoes() throws Exception {
    String whole = "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"cost?\"}]}";
    String streamed =
        whole.substring(0, whole.length() - 1)
            + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      for (String body : List.of(whole, streamed)) {
        java.net.http.HttpResponse<String> r =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(network.baseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer " + network.key())
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = null;
        for (String line : r.body().split("\n")) { // a whole body is one line; a stream's last
          String json = line.startsWith("data: ") ? line.substring(6) : line;
          if (json.startsWith("{") && Json.parse(json).has("usage")) {
            answer = Json.parse(json);
          }
        }
        assertThat(answer).as(r.body()).isNotNull();
        String node = answer.path("node_id").asText();
        assertThat(node).matches("node_[0-9a-z]{26}");
        assertThat(r.headers().firstValue("x-pinaivu-node")).hasValue(node);
        long costMicros =
            answer.at("/usage/cost").decimalValue().movePointRight(6).longValueExact();

        HttpResult receipt =
            HttpResult.get(
                network.baseUrl() + "/receipts/" + answer.path("request_id").asText(),
                network.key());
        JsonNode signed = Json.parse(receipt.body).path("receipt");
        assertThat(signed.path("node_id").asText()).isEqualTo(node);
        assertThat(signed.at("/charge/total_charged").asLong()).isEqualTo(costMicros).isPositive();
      }
    }
  }

  @Test
  void chat_nonStreaming_throughTheOfficialSdk() {
    ChatCompletion completion = client.chat().completions().create(params("Hello network").build());

    assertThat(completion.choices().get(0).message().content()).hasValue("Echo: Hello network");
    assertThat(completion.id()).matches("chatcmpl-[0-9a-z]{26}");
    assertThat(completion.model()).isEqualTo(MODEL);
    String requestId = requestId(completion._additionalProperties());
    assertThat(requestId).matches(REQUEST_ID);
    assertThat(completion.id()).isEqualTo("chatcmpl-" + requestId.substring(4));
    assertThat(completion.usage())
        .hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
    assertThat(cheapUpstream.chatRequests().size()).isEqualTo(1);
  }

  @Test
  void chat_streaming_everyChunkCarriesTheRequestId_andUsageComesLast() {
    List<ChatCompletionChunk> chunks =
        streamChunks(
            params("Hello streaming network")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build());

    ChatCompletion whole = accumulate(chunks);
    assertThat(whole.choices().get(0).message().content())
        .hasValue("Echo: Hello streaming network");
    String requestId = requestId(chunks.get(0)._additionalProperties());
    assertThat(requestId).matches(REQUEST_ID);
    assertThat(chunks)
        .allSatisfy(c -> assertThat(requestId(c._additionalProperties())).isEqualTo(requestId));
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.id()).isEqualTo("chatcmpl-" + requestId.substring(4)));
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage())
        .hasValueSatisfying(u -> {
          assertThat(u.completionTokens()).isPositive();
          assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
  }

  @Test
  void chat_streaming_withoutIncludeUsage_sendsNoUsage() {
    List<ChatCompletionChunk> chunks = streamChunks(params("no usage please").build());

    assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.usage()).isEmpty());
    assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
  }

  @Test
  void toolCalls_arriveIntact_wholeAndStreamed_evenWhenLarge() throws Exception {
    cheapUpstream.setToolArgumentsBytes(8 * 1024);
    ChatCompletionCreateParams params =
        params("Weather in Chennai?")
            .addTool(GetWeather.class)
            .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
            .build();
    OpenAIClient direct =
        OpenAIOkHttpClient.builder()
            .baseUrl(cheapUpstream.baseUrl())
            .apiKey("x")
            .maxRetries(0)
            .build();

    ChatCompletionMessageFunctionToolCall viaNetwork =
        onlyToolCall(client.chat().completions().create(params));
    ChatCompletionMessageFunctionToolCall streamed = onlyToolCall(accumulate(streamChunks(params)));
    ChatCompletionMessageFunctionToolCall fromUpstream =
        onlyToolCall(direct.chat().completions().create(params));
    direct.close();

    assertThat(viaNetwork.function().arguments())
        .hasSizeGreaterThanOrEqualTo(8 * 1024)
        .isEqualTo(fromUpstream.function().arguments());
    assertThat(streamed.function().arguments()).isEqualTo(fromUpstream.function().arguments());
    assertThat(streamed.function().name()).isEqualTo("GetWeather");
    assertThat(streamed.id()).startsWith("call_");
    assertThat(Json.parse(viaNetwork.function().arguments()).get("city").asText())
        .isEqualTo("Weather in Chennai?");
  }

  private static ChatCompletionMessageFunctionToolCall onlyToolCall(ChatCompletion completion) {
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    return completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
  }

  @Test
  void everyParameter_reachesTheNodesUpstreamIntact() throws Exception {
    String body =
        """
        {"model":"llama","messages":[{"role":"system","content":"be terse"},{"role":"user","content":"hi"}],
         "temperature":0.3,"top_p":0.9,"n":2,"max_tokens":50,"seed":42,"stop":["\\n\\n"],"logprobs":true,
         "top_logprobs":3,"presence_penalty":0.5,"frequency_penalty":-0.5,"user":"u-1",
         "response_format":{"type":"json_object"},"logit_bias":{"50256":-100},
         "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{}}}}],
         "tool_choice":"auto","parallel_tool_calls":false,"top_k":40,"min_p":0.05,"repetition_penalty":1.1}
        """;
    HttpResult result = HttpResult.post(network.baseUrl(), network.key(), body);

    assertThat(result.status).as(result.body).isEqualTo(200);
    ObjectNode received = (ObjectNode) cheapUpstream.lastChatRequest().json();
    assertThat(received).isEqualTo(Json.parse(body));
    JsonNode answer = Json.parse(result.body);
    assertThat(answer.get("choices")).hasSize(2);
    assertThat(answer.get("choices").get(0).get("logprobs").get("content")).isNotEmpty();
  }

  @Test
  void failover_beforeTheFirstToken_isInvisibleToTheClient() {
    cheapUpstream.failNext(1, Fault.status(500));

    ChatCompletion completion =
        client.chat().completions().create(params("fail over please").build());

    assertThat(completion.choices().get(0).message().content()).hasValue("Echo: fail over please");
    assertThat(cheapUpstream.chatRequests().size()).isEqualTo(1);
    assertThat(dearUpstream.chatRequests().size()).isEqualTo(1);
  }

  @Test
  void failover_beforeTheFirstToken_whenStreaming() throws Exception {
    cheapUpstream.failNext(1, Fault.status(503));

    Sse sse =
        Sse.post(
            network.baseUrl(),
            network.key(),
            "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}",
            1000);

    assertThat(sse.text()).isEqualTo("Echo: again");
    assertThat(sse.endedWithDone()).isTrue();
    assertThat(sse.events.stream().filter(e -> e.contains("\"role\":\"assistant\"")).count())
        .isEqualTo(1);
    assertThat(dearUpstream.chatRequests().size()).isEqualTo(1);
  }

  @Test
  void upstreamCrashAfterOutput_endsWithAnErrorEvent_neverAFakeDone() throws Exception {
    cheapUpstream.failNext(1, Fault.dropAfterChunks(3));

    Sse sse =
        Sse.post(
            network.baseUrl(),
            network.key(),
            "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f\"}]}",
            1000);

    assertThat(sse.status).isEqualTo(200);
    assertThat(sse.endedWithDone()).isFalse();
    assertThat(sse.last().get("error").get("message").asText()).isNotBlank();
    assertThat(sse.last().get("request_id").asText()).isEqualTo(sse.headerRequestId);
    assertThat(sse.text()).isNotEmpty();
    assertThat(dearUpstream.chatRequests().size()).isZero();
  }

  @Test
  void clientDisconnect_cancelsTheJobAtTheNodesUpstream() throws Exception {
    cheapUpstream.setTokenDelay(Duration.ofMillis(50));

    Sse sse =
        Sse.post(
            network.baseUrl(),
            network.key(),
            "{\"model\":\"llama\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(200)
                + "\"}]}",
            3);

    assertThat(sse.events).hasSize(3);
    assertThat(cheapUpstream.lastChatRequest().awaitOutcome(Duration.ofSeconds(10)))
        .isEqualTo(RequestOutcome.CLIENT_DISCONNECTED);
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {true, false})
  void clientGoneBeforeTheFirstToken_isCancelledAtTheNodeAtOnce_andPaysNothing(boolean stream)
      throws Exception {
    cheapUpstream.setTimeToFirstToken(FIRST_TOKEN_AFTER);
    NodeProcess cheap = network.nodes.get(0);
    int logSeen = cheap.output().length();
    LedgerTotals before = network.gateway.ledger().totals();
    String body =
        "{\"model\":\"llama\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"leaving early\"}]}";

    long received = cheapUpstream.chatRequestCount();
    long closedAt;
    try (Socket client = new Socket("127.0.0.1", network.gateway.port())) {
      long sentAt = System.nanoTime();
      client.getOutputStream().write(rawChatRequest(body));
      awaitUpstreamRequest(cheapUpstream, received); // the job runs, its first token 3 s away
      Thread.sleep(
          Math.max(0, 300 - (System.nanoTime() - sentAt) / 1_000_000)); // the client's wait
      closedAt = System.nanoTime();
    }
    String requestId = awaitCancelInLog(cheap, logSeen);
    Duration noticed = Duration.ofNanos(System.nanoTime() - closedAt);

    assertThat(noticed).isLessThan(Duration.ofSeconds(1));
    // the attempt is settled at zero, once the node's proof of the cancelled job is in
    JsonNode receipt = awaitReceipt(requestId).get("receipt");
    assertThat(receipt.at("/charge/total_charged").asLong()).isZero();
    assertThat(receipt.at("/times/first_token_at_ms").isNull()).isTrue();
    assertThat(receipt.get("note").asText()).contains("no output reached the client");
    assertThat(network.gateway.ledger().totals()).isEqualTo(before);
    assertThat(dearUpstream.chatRequests()).isEmpty(); // not failed over
  }

  private JsonNode awaitReceipt(String requestId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (true) {
      HttpResult r = HttpResult.get(network.baseUrl() + "/receipts/" + requestId, network.key());
      if (r.status == 200) {
        return Json.parse(r.body);
      }
      assertThat(System.nanoTime()).as("no receipt for " + requestId).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private byte[] rawChatRequest(String body) {
    byte[] json = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + network.key()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + json.length
            + "\r\n\r\n";
    byte[] request =
        Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + json.length);
    System.arraycopy(json, 0, request, head.length(), json.length);
    return request;
  }

  private static void awaitUpstreamRequest(FakeOpenAiServer upstream, long before)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (upstream.chatRequestCount() == before) {
      assertThat(System.nanoTime()).as("the request reached the upstream").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** The request id of the first cancel the node logs after {@code from}; fails after 5 s. */
  private static String awaitCancelInLog(NodeProcess node, int from) throws Exception {
    Pattern cancelled = Pattern.compile("job (req_\\w+) cancelled by the gateway");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      Matcher m = cancelled.matcher(node.output().substring(from));
      if (m.find()) {
        return m.group(1);
      }
      assertThat(System.nanoTime()).as("the node was told to cancel").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void upstreamRejection_reachesTheClientAs400() {
    cheapUpstream.failNext(1, Fault.badRequest("this model does not support tools"));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.chat().completions().create(params("x").build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.getMessage()).contains("does not support tools"));
    assertThat(dearUpstream.chatRequests().size()).isZero();
  }
}
