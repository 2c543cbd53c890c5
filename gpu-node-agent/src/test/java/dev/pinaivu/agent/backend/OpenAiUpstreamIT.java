package dev.pinaivu.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.testkit.FakeModel;
import dev.pinaivu.testkit.FakeOpenAiServer;
import dev.pinaivu.testkit.Fault;
import dev.pinaivu.testkit.RequestOutcome;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream backend against a real (fake) OpenAI-compatible server over loopback HTTP. */
class OpenAiUpstreamIT {
  static FakeOpenAiServer server;
  static OpenAiUpstream upstream;

  @BeforeAll
  static void start() {
    server =
        FakeOpenAiServer.builder()
            .model(FakeModel.of("llama").withMaxModelLen(8192))
            .model("qwen")
            .start();
    upstream = new OpenAiUpstream(URI.create(server.baseUrl()), null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.clearFaults();
    server.clearRequests();
    server.setTokenDelay(Duration.ZERO);
  }

  private static ObjectNode request(String json) throws Exception {
    return (ObjectNode) Json.parse(json);
  }

  private static final String HELLO =
      "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}";

  @Test
  void models_areReadWithTheirContextLength() throws Exception {
    assertThat(upstream.models())
        .containsExactlyInAnyOrder(new ModelInfo("llama", 8192), new ModelInfo("qwen", null));
  }

  @Test
  void stream_relaysChunksAndTheUpstreamsUsage_andAlwaysAsksForUsage() throws Exception {
    ObjectNode req =
        request(
            "{\"model\":\"llama\",\"seed\":3,\"vendor\":{\"a\":1},\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}");
    RecordingOutput out = new RecordingOutput();

    upstream.complete(req, true, out, new Cancellation());

    assertThat(out.text()).isEqualTo("Echo: one two three");
    assertThat(out.usage).isNotNull();
    assertThat(out.estimated).isFalse();
    assertThat(out.terminals).isEqualTo(1);
    assertThat(out.chunks).allSatisfy(c -> assertThat(c.get("choices")).isNotEmpty());
    ObjectNode sent = (ObjectNode) server.lastChatRequest().json();
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    sent.remove("stream");
    sent.remove("stream_options");
    assertThat(sent).isEqualTo(req);
  }

  @Test
  void nonStream_returnsTheCompletionWithUsage() throws Exception {
    RecordingOutput out = new RecordingOutput();

    upstream.complete(request(HELLO), false, out, new Cancellation());

    assertThat(out.result.get("choices").get(0).get("message").get("content").asText())
        .isEqualTo("Echo: one two three");
    assertThat(out.result.get("usage").get("total_tokens").asInt()).isPositive();
    assertThat(server.lastChatRequest().json().has("stream")).isFalse();
  }

  @Test
  void serverError_isRetryable_clientError_isNot() throws Exception {
    server.failNext(1, Fault.status(503));
    RecordingOutput busy = new RecordingOutput();
    upstream.complete(request(HELLO), true, busy, new Cancellation());

    server.failNext(1, Fault.badRequest("unsupported parameter: foo"));
    RecordingOutput rejected = new RecordingOutput();
    upstream.complete(request(HELLO), true, rejected, new Cancellation());

    assertThat(busy.retryable).isTrue();
    assertThat(busy.status).isEqualTo(503);
    assertThat(rejected.retryable).isFalse();
    assertThat(rejected.status).isEqualTo(400);
    assertThat(rejected.errorMessage).contains("unsupported parameter: foo");
  }

  @Test
  void unreachableServer_isRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RecordingOutput out = new RecordingOutput();

    new OpenAiUpstream(URI.create("http://127.0.0.1:" + port + "/v1"), null)
        .complete(request(HELLO), true, out, new Cancellation());

    assertThat(out.errorCode).isEqualTo("upstream_unavailable");
    assertThat(out.retryable).isTrue();
  }

  @Test
  void crashMidStream_keepsEveryChunkThatArrivedThenFails() throws Exception {
    server.failNext(1, Fault.dropAfterChunks(3));
    RecordingOutput out = new RecordingOutput();

    upstream.complete(request(HELLO), true, out, new Cancellation());

    assertThat(out.chunks).hasSize(3);
    assertThat(out.errorCode).isEqualTo("upstream_failed");
    assertThat(out.terminals).isEqualTo(1);
  }

  @Test
  void cancel_closesTheUpstreamRequest() throws Exception {
    server.setTokenDelay(Duration.ofMillis(50));
    RecordingOutput out = new RecordingOutput();
    Cancellation cancel = new Cancellation();
    Thread.ofVirtual()
        .start(() -> {
          try {
            Thread.sleep(150);
          } catch (InterruptedException ignored) {
            // test thread
          }
          cancel.cancel();
        });

    upstream.complete(
        request(
            "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "w ".repeat(100)
                + "\"}]}"),
        true,
        out,
        cancel);

    assertThat(out.terminals).isZero();
    assertThat(server.lastChatRequest().awaitOutcome(Duration.ofSeconds(5)))
        .isEqualTo(RequestOutcome.CLIENT_DISCONNECTED);
  }
}
