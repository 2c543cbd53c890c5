package dev.pinaivu.cli;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A raw SSE client: sees exactly the events the gateway wrote, [DONE] and error events included.
 */
public final class Sse {
  public final int status;
  public final List<String> events = new ArrayList<>();
  public final String headerRequestId;

  /** The whole body when the gateway refused the stream (status other than 200), else null. */
  public final String errorBody;

  private Sse(int status, String headerRequestId, String errorBody) {
    this.status = status;
    this.headerRequestId = headerRequestId;
    this.errorBody = errorBody;
  }

  /** Reads up to {@code maxEvents} events (then closes the connection), or to the end. */
  public static Sse post(String baseUrl, String key, String body, int maxEvents) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String requestId = response.headers().firstValue("x-request-id").orElse(null);
      if (response.statusCode() != 200) {
        try (InputStream in = response.body()) {
          return new Sse(
              response.statusCode(),
              requestId,
              new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      Sse sse = new Sse(response.statusCode(), requestId, null);
      try (InputStream in = response.body();
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while (sse.events.size() < maxEvents && (line = reader.readLine()) != null) {
          if (line.startsWith("data: ")) {
            sse.events.add(line.substring(6));
          }
        }
      } catch (IOException e) {
        // the stream ended abruptly; the events read so far are the result
      }
      return sse;
    } finally {
      http.close();
    }
  }

  public boolean endedWithDone() {
    return !events.isEmpty() && events.get(events.size() - 1).equals("[DONE]");
  }

  public JsonNode last() throws Exception {
    return Json.parse(events.get(events.size() - 1));
  }

  public String text() throws Exception {
    StringBuilder out = new StringBuilder();
    for (String e : events) {
      if (!e.equals("[DONE]")) {
        Json.parse(e)
            .path("choices")
            .forEach(c -> out.append(c.path("delta").path("content").asText("")));
      }
    }
    return out.toString();
  }

  /** The {@code usage} the stream showed the client (its usage chunk); null when none. */
  public JsonNode usage() throws Exception {
    for (String e : events) {
      if (!e.equals("[DONE]")) {
        JsonNode usage = Json.parse(e).get("usage");
        if (usage != null && usage.isObject()) {
          return usage;
        }
      }
    }
    return null;
  }
}
