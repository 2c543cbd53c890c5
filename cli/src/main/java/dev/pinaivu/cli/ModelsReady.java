package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits until a gateway can serve a chat completion: its own {@code GET /v1/models} lists a model,
 * which it does only once a node has connected, been trusted and offered one. {@code up} prints
 * "running" and a curl to try only after this, so the first curl a user pastes succeeds.
 */
final class ModelsReady {
  private ModelsReady() {}

  /** True once {@code baseUrl}/models lists a model for {@code apiKey}; false at the timeout. */
  static boolean await(String baseUrl, String apiKey, Duration timeout)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
            .header("Authorization", "Bearer " + apiKey)
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          JsonNode data = Json.parse(response.body()).path("data");
          if (data.isArray() && !data.isEmpty()) {
            return true;
          }
        }
      } catch (IOException e) {
        // not listening yet, or a transient failure: ask again
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return false;
  }
}
