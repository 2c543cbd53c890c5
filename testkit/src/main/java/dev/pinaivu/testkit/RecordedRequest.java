package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request exactly as it reached the fake server: method, path, headers, raw body bytes and the
 * body parsed as JSON, plus how the server finished with it.
 */
public final class RecordedRequest {

  static final String CHAT_COMPLETIONS = "/v1/chat/completions";

  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final JsonNode json;
  private final Instant receivedAt;
  private final CompletableFuture<RequestOutcome> outcome = new CompletableFuture<>();

  private RecordedRequest(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
    this.json = Json.parseOrMissing(body);
    this.receivedAt = Instant.now();
  }

  static RecordedRequest read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
    return new RecordedRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        Collections.unmodifiableMap(headers),
        body);
  }

  public String method() {
    return method;
  }

  /** The raw path, without the query string, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** All headers; names are case-insensitive. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header (name case-insensitive), or {@code null} when absent. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The body bytes exactly as received (a copy). */
  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body parsed as JSON; a missing node ({@code isMissingNode()}) when empty or not JSON. */
  public JsonNode json() {
    return json;
  }

  public Instant receivedAt() {
    return receivedAt;
  }

  public boolean isChatCompletion() {
    return "POST".equals(method) && CHAT_COMPLETIONS.equals(path);
  }

  /** Completes when the server is done with the request. */
  public CompletableFuture<RequestOutcome> outcome() {
    return outcome.copy();
  }

  /**
   * Waits for the server to finish with the request.
   *
   * @throws IllegalStateException if it has not finished within {@code timeout}
   */
  public RequestOutcome awaitOutcome(Duration timeout) throws InterruptedException {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("request still in flight after " + timeout + ": " + this);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  void finish(RequestOutcome result) {
    outcome.complete(result);
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes)";
  }
}
