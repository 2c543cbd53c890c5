package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible inference server (vLLM, Ollama, llama.cpp server, SGLang, TGI). The client's
 * request goes through unchanged, except that streams always ask for usage ({@code
 * stream_options.include_usage}) so every job can be accounted; servers that ignore it get their
 * usage counted here and marked estimated.
 */
public final class OpenAiUpstream implements InferenceBackend {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final URI baseUrl;
  private final String apiKey;
  private final HttpClient http;

  /**
   * @param baseUrl the server's OpenAI base URL, e.g. {@code http://127.0.0.1:11434/v1}
   * @param apiKey sent as a bearer token when the server wants one; may be null
   */
  public OpenAiUpstream(URI baseUrl, String apiKey) {
    String url = baseUrl.toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
    this.apiKey = apiKey;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  @Override
  public String describe() {
    return "OpenAI-compatible server at " + baseUrl;
  }

  @Override
  public List<ModelInfo> models() throws IOException {
    HttpRequest request =
        authorize(HttpRequest.newBuilder(baseUrl.resolve("models"))).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET /models answered " + response.statusCode());
    }
    List<ModelInfo> models = new ArrayList<>();
    for (JsonNode m : Json.parse(response.body()).path("data")) {
      if (m.path("id").isTextual()) {
        models.add(new ModelInfo(m.get("id").textValue(), contextLength(m)));
      }
    }
    return models;
  }

  /** vLLM says {@code max_model_len}; others {@code context_length} or {@code context_window}. */
  private static Integer contextLength(JsonNode model) {
    for (String field : new String[] {"max_model_len", "context_length", "context_window"}) {
      JsonNode value = model.get(field);
      if (value != null && value.canConvertToInt() && value.asInt() > 0) {
        return value.asInt();
      }
    }
    return null;
  }

  @Override
  public void complete(ObjectNode request, boolean stream, JobOutput out, Cancellation cancel)
      throws IOException, InterruptedException {
    ObjectNode body = request.deepCopy();
    if (stream) {
      body.put("stream", true);
      ObjectNode options =
          body.get("stream_options") instanceof ObjectNode o ? o : body.putObject("stream_options");
      options.put("include_usage", true);
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    HttpRequest httpRequest =
        authorize(HttpRequest.newBuilder(baseUrl.resolve("chat/completions")))
            .header("Content-Type", "application/json")
            .header("Accept", stream ? "text/event-stream" : "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
            .build();
    UpstreamBody response = new UpstreamBody();
    cancel.closeOnCancel(response);
    response.attach(http.sendAsync(httpRequest, response::handle));
    int status;
    try {
      status = response.status();
    } catch (IOException e) {
      if (!cancel.isCancelled()) {
        out.error(
            "upstream_unavailable",
            "cannot reach the inference server: " + rootMessage(e),
            true,
            null);
      }
      return;
    }
    try {
      if (status != 200) {
        reportHttpError(status, response.rest().getBytes(StandardCharsets.UTF_8), out);
      } else if (stream) {
        new SseRelay(out, cancel).relay(response, promptEstimate(request));
      } else {
        relayResult(response.rest().getBytes(StandardCharsets.UTF_8), request, out);
      }
    } catch (IOException e) {
      if (!cancel.isCancelled()) {
        out.error(
            "upstream_failed",
            "the inference server connection failed: " + rootMessage(e),
            true,
            null);
      }
    } finally {
      response.close();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void relayResult(byte[] bytes, ObjectNode request, JobOutput out)
      throws IOException {
    JsonNode completion;
    try {
      completion = Json.parse(bytes);
    } catch (JsonProcessingException e) {
      out.error("upstream_bad_response", "the inference server sent invalid JSON", true, null);
      return;
    }
    if (!(completion instanceof ObjectNode object) || !object.path("choices").isArray()) {
      out.error("upstream_bad_response", "the inference server sent no choices", true, null);
      return;
    }
    if (Usage.from(object.get("usage")) == null) {
      object.set("usage", estimate(request, object).toJson());
    }
    out.result(object);
  }

  private static void reportHttpError(int status, byte[] body, JobOutput out) throws IOException {
    String message = "HTTP " + status;
    try {
      JsonNode error = Json.parse(body).path("error");
      if (error.path("message").isTextual()) {
        message = error.get("message").textValue();
      } else if (error.isTextual()) {
        message = error.textValue();
      }
    } catch (JsonProcessingException e) {
      // not JSON: keep the status line
    }
    boolean retryable = status >= 500 || status == 408 || status == 429;
    out.error(retryable ? "upstream_error" : "upstream_rejected", message, retryable, status);
  }

  private HttpRequest.Builder authorize(HttpRequest.Builder builder) {
    if (apiKey != null && !apiKey.isBlank()) {
      builder.header("Authorization", "Bearer " + apiKey);
    }
    return builder.timeout(Duration.ofMinutes(15));
  }

  /** Rough prompt size for servers that report no usage: about four characters per token. */
  static long promptEstimate(ObjectNode request) {
    long chars = 0;
    for (JsonNode message : request.path("messages")) {
      JsonNode content = message.path("content");
      chars += content.isTextual() ? content.textValue().length() : content.toString().length();
    }
    return Math.max(1, chars / 4);
  }

  private static Usage estimate(ObjectNode request, ObjectNode completion) {
    long chars = 0;
    for (JsonNode choice : completion.path("choices")) {
      chars += choice.path("message").path("content").asText("").length();
    }
    return Usage.of(promptEstimate(request), Math.max(1, chars / 4));
  }

  /** Reads the upstream's event stream and turns it into chunk frames and one done frame. */
  private static final class SseRelay {
    private final JobOutput out;
    private final Cancellation cancel;
    private Usage usage;
    private long outputChunks;

    SseRelay(JobOutput out, Cancellation cancel) {
      this.out = out;
      this.cancel = cancel;
    }

    void relay(UpstreamBody body, long promptEstimate) throws IOException, InterruptedException {
      String line;
      while ((line = body.nextLine()) != null) {
        if (!line.startsWith("data:")) {
          continue; // comments, event names, blank separators
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          finish(promptEstimate);
          return;
        }
        if (!onEvent(data)) {
          return;
        }
      }
      if (!cancel.isCancelled()) {
        out.error(
            "upstream_failed", "the inference server ended the stream without [DONE]", true, null);
      }
    }

    /** False when the stream must stop (an error event). */
    private boolean onEvent(String data) throws IOException {
      JsonNode event;
      try {
        event = Json.parse(data);
      } catch (JsonProcessingException e) {
        out.error(
            "upstream_bad_response", "the inference server sent an invalid event", true, null);
        return false;
      }
      if (!(event instanceof ObjectNode chunk)) {
        return true;
      }
      if (chunk.has("error")) {
        JsonNode message = chunk.path("error").path("message");
        out.error("upstream_error", message.asText("the inference server failed"), true, null);
        return false;
      }
      Usage reported = Usage.from(chunk.get("usage"));
      if (reported != null) {
        usage = reported;
      }
      if (chunk.path("choices").isEmpty()) {
        return true; // the usage-only chunk: its usage goes into the done frame
      }
      outputChunks++;
      out.chunk(chunk);
      return true;
    }

    private void finish(long promptEstimate) throws IOException {
      if (usage != null) {
        out.done(usage, false);
      } else {
        out.done(Usage.of(promptEstimate, outputChunks), true);
      }
    }
  }
}
