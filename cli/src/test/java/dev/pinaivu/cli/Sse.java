package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import java.io.BufferedReader;
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
final class Sse {
  final int status;
  final List<String> events = new ArrayList<>();
  final String headerRequestId;

  private Sse(int status, String headerRequestId) {
    this.status = status;
    this.headerRequestId = headerRequestId;
  }

  /** Reads up to {@code maxEvents} events (then closes the connection), or to the end. */
  static Sse post(String baseUrl, String key, String body, int maxEvents) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> response =
        http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    Sse sse =
        new Sse(response.statusCode(), response.headers().firstValue("x-request-id").orElse(null));
    try (InputStream in = response.body();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while (sse.events.size() < maxEvents && (line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          sse.events.add(line.substring(6));
        }
      }
    } catch (java.io.IOException e) {
      // the stream ended abruptly; the events read so far are the result
    }
    http.close();
    return sse;
  }

  boolean endedWithDone() {
    return !events.isEmpty() && events.get(events.size() - 1).equals("[DONE]");
  }

  JsonNode last() throws Exception {
    return Json.parse(events.get(events.size() - 1));
  }

  String text() throws Exception {
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
}
