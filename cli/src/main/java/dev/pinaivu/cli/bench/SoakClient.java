package dev.pinaivu.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * One soak client's request, of a kind drawn per request: most are honest (streamed or whole), some
 * leave a stream after its first token, and some send a lone surrogate, which must be a 400 and
 * reach no node. Each ends in an {@link Outcome} the report counts; nothing here throws for a
 * failed request.
 */
final class SoakClient {
  /** What a client does. */
  enum Kind {
    STREAMED,
    WHOLE,
    /** Reads a stream up to its first token, then closes the connection. */
    LEAVES_EARLY,
    /** A message whose content is a lone surrogate escape: must be a 400. */
    LONE_SURROGATE;

    static Kind draw(RandomGenerator random) {
      int p = random.nextInt(100);
      return p < 65 ? STREAMED : p < 85 ? WHOLE : p < 95 ? LEAVES_EARLY : LONE_SURROGATE;
    }
  }

  /**
   * One request as its client saw it.
   *
   * @param status the HTTP status, or -1 when no response came
   * @param complete a 200 whose whole answer arrived (a stream to {@code [DONE]})
   * @param ttftNanos time to the first content token (streams), or -1
   * @param requestId the {@code request_id} the response carried, or null
   * @param error the error code of an error body or event, or the exception, or null
   */
  record Outcome(
      Kind kind,
      int status,
      boolean complete,
      long ttftNanos,
      long totalNanos,
      String requestId,
      String error) {}

  private final HttpClient http;
  private final URI url;
  private final String key;
  private final Duration timeout;

  SoakClient(HttpClient http, String baseUrl, String key, Duration timeout) {
    this.http = http;
    this.url = URI.create(baseUrl + "/chat/completions");
    this.key = key;
    this.timeout = timeout;
  }

  Outcome call(Kind kind) {
    String content = kind == Kind.LONE_SURROGATE ? "\\ud800 half a character" : "soak the network";
    boolean stream = kind != Kind.WHOLE;
    String body =
        "{\"model\":\""
            + SoakCommand.MODEL
            + "\",\"max_tokens\":64,"
            + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
            + "\"messages\":[{\"role\":\"user\",\"content\":\""
            + content
            + "\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200 || !stream) {
        return whole(kind, r, start);
      }
      return streamed(kind, r, start);
    } catch (IOException e) {
      return new Outcome(kind, -1, false, -1, System.nanoTime() - start, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(kind, -1, false, -1, System.nanoTime() - start, null, "interrupted");
    }
  }

  private static Outcome whole(Kind kind, HttpResponse<InputStream> r, long start)
      throws IOException {
    byte[] bytes;
    try (InputStream in = r.body()) {
      bytes = in.readAllBytes();
    }
    long total = System.nanoTime() - start;
    JsonNode json = parse(new String(bytes, StandardCharsets.UTF_8).strip());
    String requestId = text(json.path("request_id"));
    // after a keep-alive an error is told in a 200's body (ADR 23)
    String error = json.has("error") ? code(json.path("error")) : null;
    boolean complete =
        r.statusCode() == 200 && error == null && json.path("choices").path(0).has("message");
    return new Outcome(kind, r.statusCode(), complete, -1, total, requestId, error);
  }

  private static Outcome streamed(Kind kind, HttpResponse<InputStream> r, long start)
      throws IOException {
    long ttft = -1;
    String requestId = null;
    String error = null;
    boolean done = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.startsWith("data: ")) {
          continue; // blank separators and ": keep-alive" comments
        }
        String data = line.substring(6);
        if (data.equals("[DONE]")) {
          done = true;
          break;
        }
        JsonNode chunk = parse(data);
        if (requestId == null) {
          requestId = text(chunk.path("request_id"));
        }
        if (chunk.has("error")) {
          error = code(chunk.path("error"));
          continue;
        }
        String token = chunk.path("choices").path(0).path("delta").path("content").asText("");
        if (ttft < 0 && !token.isEmpty()) {
          ttft = System.nanoTime() - start;
          if (kind == Kind.LEAVES_EARLY) {
            break; // closing the reader closes the connection: the client is gone
          }
        }
      }
    }
    return new Outcome(
        kind, 200, done && error == null, ttft, System.nanoTime() - start, requestId, error);
  }

  private static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (IOException e) {
      return Json.object().put("error_text", text);
    }
  }

  private static String code(JsonNode error) {
    String code = text(error.path("code"));
    return code != null ? code : text(error.path("type"));
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
