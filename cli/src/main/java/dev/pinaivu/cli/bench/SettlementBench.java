package dev.pinaivu.cli.bench;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.receipt.SignedOffer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What settlement costs: on the request path (a token), and after it (the receipt). */
final class SettlementBench {
  private static final Pattern REQUEST_ID =
      Pattern.compile("\"request_id\":\"(req_[0-9a-z]{26})\"");

  private SettlementBench() {}

  /**
   * Nanoseconds from the end of a non-streamed response to its receipt being served (the lookup
   * waits for a settlement in progress, so it returns as soon as the receipt is stored).
   */
  static LoadDriver.Result receiptDelay(
      HttpClient http, Probe probe, String baseUrl, String key, int requests)
      throws InterruptedException {
    return LoadDriver.run(
        1,
        requests,
        Duration.ofMinutes(2),
        () -> {
          String body = probe.completeBody();
          long ended = System.nanoTime();
          Matcher m = REQUEST_ID.matcher(body);
          if (!m.find()) {
            throw new IOException("no request_id in " + body);
          }
          HttpResponse<String> receipt =
              http.send(
                  HttpRequest.newBuilder(URI.create(baseUrl + "/receipts/" + m.group(1)))
                      .header("Authorization", "Bearer " + key)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (receipt.statusCode() != 200) {
            throw new IOException("receipt: HTTP " + receipt.statusCode());
          }
          return System.nanoTime() - ended;
        });
  }

  /**
   * Nanoseconds for one dispatch token from the coordinator process, as the gateway asks; closes
   * {@code client}.
   */
  static LoadDriver.Result dispatchRoundTrip(TcpCoordinator client, int requests)
      throws InterruptedException {
    NodeKey node = NodeKey.generate();
    SignedOffer offer = ReceiptBench.offer(node);
    String hash = Sha256.hex(new byte[0]);
    try (client) {
      LoadDriver.Call call =
          () -> {
            long start = System.nanoTime();
            client.dispatch(
                new Coordinator.DispatchRequest(
                    RequestId.next().value(), hash, "m", node.publicKey(), offer, 1000, 16));
            return System.nanoTime() - start;
          };
      LoadDriver.run(1, requests, Duration.ofMinutes(1), call); // warm-up
      return LoadDriver.run(1, requests, Duration.ofMinutes(1), call);
    }
  }
}
