package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.openai.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible inference server (vLLM, Ollama, llama.cpp server, SGLang, TGI). The client's
 * request goes through unchanged, except that streams always ask for usage ({@code
 * stream_options.include_usage}) so every job can be accounted.
 *
 * <p>Requests use the JDK's blocking {@link HttpURLConnection} on the job's virtual thread: the
 * response is read where it is used, with no hand-off between threads, and a connection that breaks
 * mid-stream still yields every byte that arrived before the break. (The asynchronous {@code
 * java.net.http} client cost about 3 ms per request here in hand-offs, and its input stream can
 * drop bytes that arrived just before an error; see docs/adr/0007.) Connections are kept alive and
 * reused by the JDK; a cancelled job disconnects, which makes the server stop generating.
 */
public final class OpenAiUpstream implements InferenceBackend {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = (int) Duration.ofMinutes(15).toMillis();

  private final URI baseUrl;
  private final String apiKey;

  /**
   * @param baseUrl the server's OpenAI base URL, e.g. {@code http://127.0.0.1:11434/v1}
   * @param apiKey sent as a bearer token when the server wants one; may be null
   */
  public OpenAiUpstream(URI baseUrl, String apiKey) {
    String url = baseUrl.toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
    this.apiKey = apiKey;
  }

  @Override
  public String describe() {
    return "OpenAI-compatible server at " + baseUrl;
  }

  @Override
  public List<ModelInfo> models() throws IOException {
    HttpURLConnection c = open("models");
    int status = c.getResponseCode();
    if (status != 200) {
      drain(c.getErrorStream());
      throw new IOException("GET /models answered " + status);
    }
    List<ModelInfo> models = new ArrayList<>();
    try (InputStream in = c.getInputStream()) {
      for (JsonNode m : Json.parse(in.readAllBytes()).path("data")) {
        if (m.path("id").isTextual()) {
          models.add(new ModelInfo(m.get("id").textValue(), contextLength(m)));
        }
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
      throws IOException {
    byte[] body = Json.bytes(upstreamBody(request, stream));
    HttpURLConnection c = open("chat/completions");
    cancel.closeOnCancel(c::disconnect);
    int status;
    try {
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Accept", stream ? "text/event-stream" : "application/json");
      try (OutputStream o = c.getOutputStream()) {
        o.write(body);
      }
      status = c.getResponseCode();
    } catch (ConnectException e) {
      out.error("upstream_unavailable", "cannot connect to the inference server", true, null);
      return;
    } catch (IOException e) {
      if (!cancel.isCancelled()) {
        out.error("upstream_unavailable", "the inference server request failed: " + e, true, null);
      }
      return;
    }
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (status != 200) {
        reportHttpError(status, in == null ? new byte[0] : in.readAllBytes(), out);
      } else if (stream) {
        // strict: bytes that are not UTF-8 fail this job, never reach a frame as U+FFFD guesses
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        new SseRelay(out, cancel).relay(reader, TokenEstimate.prompt(request));
      } else {
        relayResult(in.readAllBytes(), request, out);
      }
    } catch (CharacterCodingException e) {
      if (!cancel.isCancelled()) {
        out.error(
            "upstream_bad_output", "the inference server's output is not valid UTF-8", true, null);
      }
    } catch (IOException e) {
      if (!cancel.isCancelled()) {
        out.error(
            "upstream_failed",
            "the inference server connection failed: " + e.getMessage(),
            true,
            null);
      }
    }
  }

  /** The client's body; streams always ask for usage, and non-streams carry no stream options. */
  private static ObjectNode upstreamBody(ObjectNode request, boolean stream) {
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
    return body;
  }

  private HttpURLConnection open(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) baseUrl.resolve(path).toURL().openConnection();
    c.setConnectTimeout(CONNECT_TIMEOUT_MS);
    c.setReadTimeout(READ_TIMEOUT_MS);
    c.setUseCaches(false);
    if (apiKey != null && !apiKey.isBlank()) {
      c.setRequestProperty("Authorization", "Bearer " + apiKey);
    }
    return c;
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
    boolean contextExceeded = false;
    try {
      JsonNode error = Json.parse(body).path("error");
      contextExceeded = ContextErrors.isContextLengthExceeded(error);
      if (error.path("message").isTextual()) {
        message = error.get("message").textValue();
      } else if (error.isTextual()) {
        message = error.textValue();
      }
    } catch (JsonProcessingException e) {
      // not JSON: keep the status line
    }
    boolean retryable = status >= 500 || status == 408 || status == 429;
    if (contextExceeded && !retryable) { // the client's own fault: the gateway says so (ADR 32)
      out.error(ContextErrors.CODE, message, false, status);
      return;
    }
    out.error(retryable ? "upstream_error" : "upstream_rejected", message, retryable, status);
  }

  private static void drain(InputStream in) throws IOException {
    if (in != null) {
      try (in) {
        in.readAllBytes();
      }
    }
  }

  private static Usage estimate(ObjectNode request, ObjectNode completion) {
    long chars = 0;
    for (JsonNode choice : completion.path("choices")) {
      chars += choice.path("message").path("content").asText("").length();
    }
    return Usage.of(TokenEstimate.prompt(request), Math.max(1, chars / 4));
  }
}
