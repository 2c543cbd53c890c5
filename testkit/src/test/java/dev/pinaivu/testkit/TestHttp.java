package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain {@link HttpClient} speaking to the fake server, as a node agent would. */
final class TestHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final String baseUrl;

  TestHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** What a stream delivered: the JSON chunks, whether {@code [DONE]} came, and any read error. */
  record Sse(List<JsonNode> chunks, boolean done, IOException error) {
    JsonNode last() {
      return chunks.getLast();
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postChat(String body) throws IOException, InterruptedException {
    return send(chatRequest(body).build());
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<InputStream> openChat(String body) throws IOException, InterruptedException {
    return client.send(chatRequest(body).build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  HttpRequest.Builder chatRequest(String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /**
   * Reads a whole SSE response, keeping what arrived if the connection breaks. Bytes are taken as
   * they arrive: an {@code InputStream} body may drop its last unread bytes once the error lands.
   */
  Sse stream(String body) throws InterruptedException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    IOException error = null;
    try {
      client.send(
          chatRequest(body).build(),
          HttpResponse.BodyHandlers.ofByteArrayConsumer(
              bytes -> bytes.ifPresent(received::writeBytes)));
    } catch (IOException e) {
      error = e;
    }
    List<JsonNode> chunks = new ArrayList<>();
    boolean done = false;
    for (String event : received.toString(StandardCharsets.UTF_8).split("\n\n")) {
      if (event.equals("data: [DONE]")) {
        done = true;
      } else if (event.startsWith("data: ")) {
        chunks.add(parse(event.substring("data: ".length())));
      }
    }
    return new Sse(chunks, done, error);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String chat(String userText) {
    return chatWith(userText, "");
  }

  /** A chat request for {@code fake-model} with extra top-level fields, e.g. {@code "n":2}. */
  static String chatWith(String userText, String extraFields) {
    String json =
        """
        {"model":"fake-model","messages":[{"role":"system","content":"Be brief."},\
        {"role":"user","content":%s}]%s}\
        """
            .formatted(quote(userText), extraFields.isEmpty() ? "" : "," + extraFields);
    return json;
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
