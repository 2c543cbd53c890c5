package dev.pinaivu.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The soak's books check, from the outside only (the public API and the admin API, as an operator
 * or an auditor sees the network): the account was debited exactly what its usage report says,
 * every answer a client saw complete has a signed receipt, no receipt pays a node that never
 * answered, no lying node was paid for more than it delivered, and no balance is negative.
 */
final class SoakBooks {
  /** What the check found; {@link #problems} is empty when the books hold. */
  record Findings(
      long debitMicros,
      long usageCostMicros,
      long usageRequests,
      long balanceMicros,
      Map<SoakNodes.Kind, Integer> receiptsByKind,
      int lyingCapped,
      long lyingClaimedTokens,
      long lyingBilledTokens,
      List<String> problems) {}

  private final HttpClient http;
  private final String baseUrl;
  private final String key;
  private final String adminToken;

  SoakBooks(HttpClient http, String baseUrl, String key, String adminToken) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.key = key;
    this.adminToken = adminToken;
  }

  /** The development account's balance, in µUSD. */
  long balanceMicros() throws IOException, InterruptedException {
    JsonNode account = get(adminUrl("/admin/v1/accounts/acct_dev"), adminToken);
    return new BigDecimal(account.path("balance_usd").asText()).movePointRight(6).longValueExact();
  }

  JsonNode nodes() throws IOException, InterruptedException {
    return get(adminUrl("/admin/v1/nodes"), adminToken);
  }

  /** The usage report's totals: requests and cost in µUSD. */
  long[] usage() throws IOException, InterruptedException {
    JsonNode totals = get(URI.create(baseUrl + "/usage"), key).path("totals");
    return new long[] {
      totals.path("num_model_requests").asLong(), totals.path("cost_micros").asLong()
    };
  }

  /**
   * Waits until the usage report stops moving (every settlement done), then checks the books for
   * the requests the clients made.
   */
  Findings check(long balanceBefore, List<SoakClient.Outcome> outcomes) throws Exception {
    long[] usage = usage();
    for (int stable = 0, rounds = 0; stable < 3 && rounds < 120; rounds++) {
      Thread.sleep(1000);
      long[] now = usage();
      stable = now[0] == usage[0] && now[1] == usage[1] ? stable + 1 : 0;
      usage = now;
    }
    List<String> problems = new ArrayList<>();
    long balance = balanceMicros();
    long debit = balanceBefore - balance;
    if (debit != usage[1]) {
      problems.add(
          "the account was debited " + debit + " µUSD but its usage report says " + usage[1]);
    }
    if (balance < 0) {
      problems.add("the account's balance is negative: " + balance + " µUSD");
    }
    Map<SoakNodes.Kind, Integer> byKind = new EnumMap<>(SoakNodes.Kind.class);
    int capped = 0;
    long claimed = 0;
    long billed = 0;
    List<Future<JsonNode>> receipts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (SoakClient.Outcome o : outcomes) {
        if (o.complete()) {
          receipts.add(pool.submit(() -> receipt(o.requestId())));
        }
      }
      int missing = 0;
      for (Future<JsonNode> f : receipts) {
        JsonNode r = f.get();
        if (r == null) {
          missing++;
          continue;
        }
        JsonNode receipt = r.path("receipt");
        SoakNodes.Kind kind =
            SoakNodes.Kind.byMicros(receipt.path("charge").path("input_micros_per_mtok").asLong());
        if (kind == null) {
          problems.add("a receipt at a price no node offered: " + receipt.path("request_id"));
          continue;
        }
        byKind.merge(kind, 1, Integer::sum);
        if (kind == SoakNodes.Kind.SILENT || kind == SoakNodes.Kind.FAILING) {
          problems.add("a complete answer is billed to a " + kind.label() + " node");
        }
        long claim = receipt.path("billing").path("claimed").path("completion_tokens").asLong();
        long bill = receipt.path("billed_usage").path("completion_tokens").asLong();
        long limit = receipt.path("billing").path("delivered_completion_limit").asLong();
        if (bill > limit) {
          problems.add(
              receipt.path("request_id").asText() + " billed " + bill + " tokens over its limit");
        }
        if (kind == SoakNodes.Kind.LYING) {
          claimed += claim;
          billed += bill;
          if (bill < claim) {
            capped++;
          }
        }
      }
      if (missing > 0) {
        problems.add(missing + " complete answers have no receipt");
      }
    }
    return new Findings(
        debit, usage[1], usage[0], balance, byKind, capped, claimed, billed, problems);
  }

  private JsonNode receipt(String requestId) throws IOException, InterruptedException {
    if (requestId == null) {
      return null;
    }
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/receipts/" + requestId))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() == 200 ? Json.parse(r.body()) : null;
  }

  private URI adminUrl(String path) {
    return URI.create(baseUrl.substring(0, baseUrl.length() - "/v1".length()) + path);
  }

  private JsonNode get(URI uri, String bearer) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + bearer).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + ": HTTP " + r.statusCode());
    }
    return Json.parse(r.body());
  }
}
