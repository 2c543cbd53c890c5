package dev.pinaivu.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * One measured request against an OpenAI-compatible base URL: the whole non-streamed answer, or a
 * stream's time to first token (the first chunk with non-empty content), reading it to the end.
 */
final class Probe {
  private final HttpClient http;
  private final URI url;
  private final String key;
  private final byte[] plain;
  private final byte[] streamed;

  Probe(HttpClient http, String baseUrl, String key, String model) {
    this.http = http;
    this.url = URI.create(baseUrl + "/chat/completions");
    this.key = key;
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"benchmark the relay\"}]";
    this.plain =
        ("{\"model\":\"" + model + "\"," + messages + "}").getBytes(StandardCharsets.UTF_8);
    this.streamed =
        ("{\"model\":\"" + model + "\",\"stream\":true," + messages + "}")
            .getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest request(byte[] body) {
    return HttpRequest.newBuilder(url)
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** Nanoseconds for one non-streamed completion. */
  long complete() throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<byte[]> r = http.send(request(plain), HttpResponse.BodyHandlers.ofByteArray());
    long elapsed = System.nanoTime() - start;
    if (r.statusCode() != 200) {
      throw new IOException(
          "HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return elapsed;
  }

  /** One non-streamed completion's body. */
  String completeBody() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request(plain), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Nanoseconds to the first content token of a stream; the stream is read to [DONE]. */
  long timeToFirstToken() throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<InputStream> r =
        http.send(request(streamed), HttpResponse.BodyHandlers.ofInputStream());
    long first = -1;
    boolean done = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (first < 0 && line.startsWith("data: ") && hasContent(line)) {
          first = System.nanoTime() - start;
        }
        if (line.equals("data: [DONE]")) {
          done = true;
        }
      }
    }
    if (r.statusCode() != 200 || first < 0 || !done) {
      throw new IOException(
          "stream failed: HTTP " + r.statusCode() + ", first token " + first + ", done " + done);
    }
    return first;
  }

  /** True for a chunk whose delta carries text ("content":"x..."), without parsing JSON. */
  static boolean hasContent(String line) {
    int i = line.indexOf("\"content\":\"");
    return i >= 0 && i + 11 < line.length() && line.charAt(i + 11) != '"';
  }
}
