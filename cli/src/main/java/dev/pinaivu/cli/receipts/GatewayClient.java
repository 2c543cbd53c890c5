package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.ReceiptVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway routes the verifiers read: the public log routes ({@code /v1/log/...}), and {@code
 * GET /v1/receipts/{request_id}} (the caller's signed receipt envelope; 404 with an OpenAI error
 * otherwise) and {@code GET /v1/attestation} (the coordinator key listing, see {@link KeyListing}).
 * Anything but a 200 is unusable input.
 */
final class GatewayClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final String apiKey;
  private final HttpClient http;

  /**
   * @param base the OpenAI-style base URL, {@code http://host:port/v1}; a bare host gets {@code
   *     /v1}
   * @param apiKey sent as a bearer token; null to send none
   */
  GatewayClient(URI base, String apiKey) throws UnusableInputException {
    this.base = normalized(base);
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  byte[] receipt(RequestId id) throws UnusableInputException {
    return get("/receipts/" + id.value(), "receipt " + id);
  }

  JsonNode keyListing() throws UnusableInputException {
    byte[] body = get("/attestation", "key listing");
    try {
      return Json.parse(body);
    } catch (JsonProcessingException e) {
      throw new UnusableInputException(
          "the key listing at " + base + "/attestation is not JSON: " + e.getOriginalMessage());
    }
  }

  /** {@code GET /v1/log/checkpoint}: the latest signed checkpoint, as note text. */
  String logCheckpoint() throws UnusableInputException {
    return new String(get("/log/checkpoint", "log checkpoint"), StandardCharsets.UTF_8);
  }

  /** {@code GET /v1/log/proof/consistency}. */
  JsonNode consistencyProof(long first, long second) throws UnusableInputException {
    byte[] body =
        get("/log/proof/consistency?first=" + first + "&second=" + second, "consistency proof");
    try {
      return Json.parse(body);
    } catch (JsonProcessingException e) {
      throw new UnusableInputException("the consistency proof is not JSON");
    }
  }

  private byte[] get(String path, String what) throws UnusableInputException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(ReceiptVerifier.MAX_BYTES + 1);
      }
      if (response.statusCode() != 200) {
        throw new UnusableInputException(
            "no "
                + what
                + " from "
                + base
                + path
                + ": HTTP "
                + response.statusCode()
                + errorMessage(body));
      }
      if (body.length > ReceiptVerifier.MAX_BYTES) {
        throw new UnusableInputException(
            "the " + what + " from " + base + path + " is larger than 1 MiB");
      }
      return body;
    } catch (IOException e) {
      throw new UnusableInputException("cannot reach the gateway at " + base + ": " + why(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnusableInputException("interrupted while fetching the " + what);
    }
  }

  private static String why(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused (is it running? see --gateway)";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + TIMEOUT.toSeconds() + " s";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The OpenAI error's message, if the body is one. */
  private static String errorMessage(byte[] body) {
    try {
      JsonNode message = Json.parse(body).path("error").path("message");
      return message.isTextual() ? " (" + Printable.line(shortened(message.textValue())) + ")" : "";
    } catch (JsonProcessingException | RuntimeException e) {
      return "";
    }
  }

  private static String shortened(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static URI normalized(URI base) throws UnusableInputException {
    String scheme = base.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
      throw new UnusableInputException("--gateway must be an http(s) URL, got " + base);
    }
    String text = base.toString().replaceAll("/+$", "");
    String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    return URI.create(path.isEmpty() ? text + "/v1" : text);
  }

  @Override
  public void close() {
    http.close();
  }
}
