package dev.pinaivu.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One plain JSON request to the gateway: its status, body and {@code x-request-id}. */
public final class HttpResult {
  public final int status;
  public final String body;

  /** The {@code x-request-id} header; null when the gateway sent none. */
  public final String requestId;

  private HttpResult(int status, String body, String requestId) {
    this.status = status;
    this.body = body;
    this.requestId = requestId;
  }

  public static HttpResult get(String url, String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return send(
          http,
          HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build());
    }
  }

  /** {@code POST /chat/completions} with {@code json} on a client of its own. */
  public static HttpResult post(String baseUrl, String key, String json) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return post(http, baseUrl, key, json);
    }
  }

  /** {@code POST /chat/completions} on a shared client (many concurrent callers). */
  public static HttpResult post(HttpClient http, String baseUrl, String key, String json)
      throws Exception {
    return send(
        http,
        HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static HttpResult send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new HttpResult(
        r.statusCode(), r.body(), r.headers().firstValue("x-request-id").orElse(null));
  }
}
