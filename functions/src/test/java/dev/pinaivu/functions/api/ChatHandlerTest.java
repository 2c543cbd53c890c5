package dev.pinaivu.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.functions.runtime.RuntimeApiStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat handler in the streaming runtime loop, against the Runtime API stand-in: what API
 * Gateway receives (the prelude, the delimiter, the body as the client gets it, the trailers) for
 * each way an answer goes. The use case is scripted here (its own tests are in core; the deployed
 * path end to end is ServerlessChatIT's): the handler's job is only the mapping.
 */
class ChatHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final NodeId NODE = NodeId.of(new byte[32]);

  private RuntimeApiStandIn runtimeApi;
  private RuntimeApiStandIn.Loop loop;
  private final AtomicReference<Script> chat = new AtomicReference<>();
  private final AtomicReference<Script> responses = new AtomicReference<>();

  /** What the scripted use case does with the sink (a write to a gone client throws). */
  @FunctionalInterface
  private interface Script {
    void run(String authorization, byte[] body, ChatSink sink) throws Exception;
  }

  private static ChatHandler.Completion running(AtomicReference<Script> script) {
    return (authorization, body, sink) -> {
      try {
        script.get().run(authorization, body, sink);
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    runtimeApi = new RuntimeApiStandIn();
    loop = runtimeApi.serve(new ChatHandler(running(chat), running(responses)));
  }

  @AfterEach
  void stop() throws Exception {
    runtimeApi.close();
    loop.join(WAIT);
  }

  /** What API Gateway would turn into the client's response: the prelude, then the body. */
  private record Answer(JsonNode prelude, byte[] body, java.util.Map<String, String> trailers) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** A header of the prelude, by name in any case, as HTTP names them. */
    String header(String name) {
      for (var h : prelude.path("headers").properties()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue().asText();
        }
      }
      return null;
    }
  }

  private static int delimiter(byte[] bytes) {
    for (int i = 0; i + 8 <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + 8, new byte[8], 0, 8)) {
        return i;
      }
    }
    throw new AssertionError("no 8-NUL delimiter in " + new String(bytes, StandardCharsets.UTF_8));
  }

  private static Answer split(byte[] whole, java.util.Map<String, String> trailers)
      throws Exception {
    int end = delimiter(whole);
    return new Answer(
        new ObjectMapper().readTree(Arrays.copyOfRange(whole, 0, end)),
        Arrays.copyOfRange(whole, end + 8, whole.length),
        trailers);
  }

  private Answer invoke(String id, ApiEvent event) throws Exception {
    runtimeApi.invoke(id, eventBytes(event), java.util.Map.of());
    RuntimeApiStandIn.Posted posted = runtimeApi.response(id, WAIT);
    assertThat(posted.headers)
        .containsEntry("content-type", IntegrationResponseSink.CONTENT_TYPE)
        .containsEntry("lambda-runtime-function-response-mode", "streaming");
    return split(posted.whole(WAIT), posted.trailers);
  }

  /** The event as API Gateway sends it: the proxy event's own (camelCase) field names. */
  private static byte[] eventBytes(ApiEvent event) throws Exception {
    return new ObjectMapper().writeValueAsBytes(event.event());
  }

  private static ApiEvent chatEvent() {
    return ApiEvent.load("api/post-chat-completions.json").key("sk-pnv-test");
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode chunk(String text) {
    return Json.object().put("object", "chat.completion.chunk").put("content", text);
  }

  @Test
  void aStreamReachesApiGatewayChunkByChunkBehindItsPrelude() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    AtomicReference<String> sentSha256 = new AtomicReference<>();
    AtomicReference<String> auth = new AtomicReference<>();
    chat.set((authorization, body, sink) -> {
      auth.set(authorization);
      sink.accepted(RequestId.next());
      sink.attempting(NODE, 1);
      sink.chunk(chunk("Hel"));
      assertThat(released.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      sink.chunk(chunk("lo"));
      sink.end(ChatSink.LastWrite.NONE);
      sentSha256.set(sink.sentSha256());
    });
    runtimeApi.invoke("inv-1", eventBytes(chatEvent()), java.util.Map.of());

    RuntimeApiStandIn.Posted posted = runtimeApi.response("inv-1", WAIT);
    byte[] first =
        posted.nextChunk(WAIT); // the prelude and the first event, while the use case waits
    Answer early = split(first, java.util.Map.of());
    assertThat(early.text())
        .startsWith("data: {\"object\":\"chat.completion.chunk\",\"content\":\"Hel\"}");
    assertThat(posted.body.isDone()).isFalse();
    released.countDown();

    Answer answer = split(posted.whole(WAIT), posted.trailers);
    assertThat(answer.prelude().path("statusCode").asInt()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(answer.header("x-request-id")).startsWith("req_");
    assertThat(answer.header("x-pinaivu-node")).isEqualTo(NODE.value());
    assertThat(answer.text()).endsWith("data: [DONE]\n\n").contains("\"content\":\"lo\"");
    assertThat(answer.trailers()).isEmpty();
    assertThat(auth.get()).isEqualTo("Bearer sk-pnv-test");
    // the receipt's client_response_sha256 covers exactly the body the client receives
    assertThat(sentSha256.get()).isEqualTo(HexFormat.of().formatHex(Sha256.digest(answer.body())));
  }

  @Test
  void aRefusalBeforeAnyOutputIsItsStatusAndOpenAiErrorBody() throws Exception {
    chat.set((authorization, body, sink) -> {
      sink.accepted(RequestId.next());
      sink.attempting(NODE, 1);
      throw ApiException.noCapacity("llama-3.1-8b-instruct");
    });

    Answer answer = invoke("inv-2", chatEvent());

    assertThat(answer.prelude().path("statusCode").asInt()).isEqualTo(503);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("Retry-After")).isEqualTo("5");
    assertThat(answer.header("x-pinaivu-node")).isNull(); // no node served it
    JsonNode body = Json.parse(answer.body());
    assertThat(body.path("error").path("code").asText()).isEqualTo("no_node_available");
    assertThat(body.path("error").path("type").asText()).isEqualTo("service_unavailable_error");
    assertThat(body.path("request_id").asText()).isEqualTo(answer.header("x-request-id"));
    assertThat(answer.trailers()).isEmpty(); // an answer, not a failed invocation
  }

  @Test
  void aStreamThatBreaksEndsWithAnErrorEventNoDoneAndTheErrorTrailers() throws Exception {
    chat.set((authorization, body, sink) -> {
      sink.accepted(RequestId.next());
      sink.chunk(chunk("Hel"));
      sink.fail(new ApiException(ErrorKind.UPSTREAM, "The node failed.", null, "node_failed"));
    });

    Answer answer = invoke("inv-3", chatEvent());

    assertThat(answer.prelude().path("statusCode").asInt()).isEqualTo(200);
    assertThat(answer.text()).contains("\"code\":\"node_failed\"").doesNotContain("[DONE]");
    assertThat(answer.trailers())
        .containsEntry("lambda-runtime-function-error-type", "Function.StreamBroken");
    JsonNode error =
        Json.parse(
            Base64.getDecoder()
                .decode(answer.trailers().get("lambda-runtime-function-error-body")));
    assertThat(error.path("errorType").asText()).isEqualTo("node_failed");
  }

  @Test
  void aWholeAnswerIsOneJsonBody() throws Exception {
    chat.set((authorization, body, sink) -> {
      sink.accepted(RequestId.next());
      sink.complete(Json.object().put("object", "chat.completion"), ChatSink.LastWrite.NONE);
    });

    Answer answer = invoke("inv-4", chatEvent());

    assertThat(answer.prelude().path("statusCode").asInt()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(Json.parse(answer.body()).path("object").asText()).isEqualTo("chat.completion");
  }

  @Test
  void aBase64BodyIsDecodedAndAnUnexpectedFailureIsAPlain500() throws Exception {
    AtomicReference<String> received = new AtomicReference<>();
    chat.set((authorization, body, sink) -> {
      sink.accepted(RequestId.next());
      received.set(new String(body, StandardCharsets.UTF_8));
      throw new IllegalStateException("a bug, with a detail no client should see");
    });
    ApiEvent event = chatEvent();
    event
        .event()
        .setBody(
            Base64.getEncoder()
                .encodeToString("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8)));
    event.event().setIsBase64Encoded(true);

    Answer answer = invoke("inv-5", event);

    assertThat(received.get()).isEqualTo("{\"model\":\"m\"}");
    assertThat(answer.prelude().path("statusCode").asInt()).isEqualTo(500);
    assertThat(answer.text()).contains("internal_error").doesNotContain("a bug");
  }

  @Test
  void theResponsesRouteRunsTheResponsesUseCase() throws Exception {
    responses.set((authorization, body, sink) -> {
      sink.accepted(RequestId.next());
      sink.complete(Json.object().put("object", "response"), ChatSink.LastWrite.NONE);
    });
    ApiEvent event = chatEvent();
    event.event().setResource("/v1/responses");
    event.event().setPath("/v1/responses");

    Answer answer = invoke("inv-6", event);

    assertThat(Json.parse(answer.body()).path("object").asText()).isEqualTo("response");
  }
}
