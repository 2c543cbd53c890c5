package dev.pinaivu.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One plain JSON POST to the gateway. */
final class HttpResult {
  final int status;
  final String body;

  private HttpResult(int status, String body) {
    this.status = status;
    this.body = body;
  }

  static HttpResult get(String url, String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new HttpResult(r.statusCode(), r.body());
    }
  }

  static HttpResult post(String baseUrl, String key, String json) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new HttpResult(r.statusCode(), r.body());
    }
  }
}
