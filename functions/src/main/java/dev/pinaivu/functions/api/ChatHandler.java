package dev.pinaivu.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.error.ErrorResponses;
import dev.pinaivu.functions.runtime.FunctionError;
import dev.pinaivu.functions.runtime.Invocation;
import dev.pinaivu.functions.runtime.InvocationResponse;
import dev.pinaivu.functions.runtime.StreamingHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions} (and {@code /v1/responses}, which runs as one) on Lambda,
 * streamed: run by {@link dev.pinaivu.functions.runtime.StreamingRuntime} behind a REST API
 * integration with {@code responseTransferMode: STREAM} (ADR 26). The event goes to the same use
 * case as the local route, the answer through {@link IntegrationResponseSink}: a refusal before any
 * output is its status and OpenAI error body; a stream that breaks after its first byte ends with
 * an error event, no {@code [DONE]}, and the Runtime API's error trailers.
 */
public final class ChatHandler implements StreamingHandler {
  private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);

  /** The proxy event's shape, read as the Lambda runtimes read it: unknown fields ignored. */
  private static final ObjectMapper EVENTS =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A use case that answers one request body into a sink: chat completions, responses. */
  @FunctionalInterface
  interface Completion {
    void serve(String authorization, byte[] body, ChatSink sink) throws InterruptedException;
  }

  private final Completion chat;
  private final Completion responses;
  private final Runnable beforeCheckpoint;

  /**
   * What the runtime loop calls, once per execution environment: clients from the environment
   * ({@link ServerlessChat}).
   */
  public ChatHandler() {
    this(ServerlessChat.shared());
  }

  /** A handler over {@code network}: the runtime's, or a test's composition. */
  public ChatHandler(ServerlessChat network) {
    this(network.chatCompletions(), network.responses(), network::beforeCheckpoint);
  }

  ChatHandler(Completion chat, Completion responses) {
    this(chat, responses, () -> {});
  }

  private ChatHandler(Completion chat, Completion responses, Runnable beforeCheckpoint) {
    this.chat = chat;
    this.responses = responses;
    this.beforeCheckpoint = beforeCheckpoint;
  }

  @Override
  public void beforeCheckpoint() {
    beforeCheckpoint.run(); // the relay reopens on the first dispatch after the restore
  }

  @Override
  public void handle(Invocation invocation, InvocationResponse response) throws Exception {
    APIGatewayProxyRequestEvent event =
        EVENTS.readValue(invocation.event(), APIGatewayProxyRequestEvent.class);
    Completion completion = isResponses(event) ? responses : chat;
    IntegrationResponseSink sink = new IntegrationResponseSink(response);
    try {
      completion.serve(ApiEvents.header(event, "Authorization"), body(event), sink);
    } catch (ApiException e) {
      answerError(sink, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answerError(sink, ErrorResponses.internal());
    } catch (RuntimeException e) {
      log.error("{} unexpected failure", invocation.requestId(), e);
      answerError(sink, ErrorResponses.internal());
    }
    ApiException broken = sink.broken();
    if (broken != null) {
      response.fail(new FunctionError("Function.StreamBroken", broken.code(), broken.getMessage()));
    }
  }

  private static void answerError(IntegrationResponseSink sink, ApiException e) throws Exception {
    if (sink.started()) {
      sink.failStarted(e); // keep-alives sent a 200 already (ADR 23)
    } else {
      sink.refuse(e);
    }
  }

  private static boolean isResponses(APIGatewayProxyRequestEvent event) {
    String resource = event.getResource() != null ? event.getResource() : event.getPath();
    return resource != null && resource.endsWith("/v1/responses");
  }

  /** The request body's bytes; API Gateway base64-encodes bodies of binary media types. */
  private static byte[] body(APIGatewayProxyRequestEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      try {
        return Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            ErrorKind.UNPARSEABLE_BODY,
            "We could not parse the JSON body of your request: it is marked base64 and is not.",
            null,
            "invalid_body");
      }
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
