package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletion;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.core.openai.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The books check of the end-to-end tests. A test hands every chat response it got to {@link
 * #track} (with the key that made it); {@link #check} then waits until the network has settled and
 * fails, listing every broken rule at once, unless:
 *
 * <ul>
 *   <li>clients were debited exactly what nodes and the fee account were credited, to the µUSD, and
 *       exactly what the receipts charged;
 *   <li>every receipt was settled in the ledger once, for its amount: settling its stored
 *       settlement again returns {@code ALREADY_SETTLED} and changes nothing;
 *   <li>no client account is below zero now, nor was during the run (see {@link #watch});
 *   <li>no key has spent more than its budget (the admin API's {@code spent_usd});
 *   <li>each account's {@code /v1/usage} cost and request count are the sums over its receipts;
 *   <li>every request whose client saw a complete answer (HTTP 200 with a whole body, or a stream
 *       that ended with {@code [DONE]}) has a receipt within {@value #RECEIPT_WAIT_SECONDS} s;
 *   <li>no client was billed more tokens than the usage its response showed it;
 *   <li>the {@code usage.cost} a response showed is its receipt's {@code total_charged}, to the
 *       µUSD (ADR 29).
 * </ul>
 *
 * Every request the test makes must be tracked, since the ledger and usage reports count them all.
 */
public final class Books {
  public static final int RECEIPT_WAIT_SECONDS = 30;
  private static final Duration SETTLE_POLL = Duration.ofMillis(500);
  private static final int SETTLE_ROUNDS = 80;

  private final Network network;
  private final Admin admin;
  private final Map<String, Call> calls = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> receipts = new ConcurrentHashMap<>();
  private final Map<String, Long> receiptDeadlines = new ConcurrentHashMap<>(); // nanoTime
  private final List<String> untracked = new CopyOnWriteArrayList<>();
  private final List<BalanceWatch> watches = new CopyOnWriteArrayList<>();

  /**
   * One chat request as its client saw it.
   *
   * @param complete the client got a whole answer: a 200 with a completion, or [DONE]
   * @param shown the usage the response showed the client; null when it showed none
   * @param costMicros the {@code usage.cost} it showed, in µUSD; null when it showed none
   */
  public record Call(
      ClientKey key,
      String requestId,
      int status,
      boolean complete,
      Usage shown,
      Long costMicros,
      String body) {
    public Call {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  public Books(Network network) {
    this.network = network;
    this.admin = new Admin(network);
  }

  /** Records a non-streamed response made with {@code key}; returns it. */
  public HttpResult track(ClientKey key, HttpResult r) {
    if (r.requestId == null) {
      untracked.add("a response (HTTP " + r.status + ") carried no x-request-id: " + r.body);
      return r;
    }
    add(call(key, r));
    return r;
  }

  /** What the client of a non-streamed response with an {@code x-request-id} saw. */
  static Call call(ClientKey key, HttpResult r) {
    JsonNode body = parse(r.body);
    boolean complete =
        r.status == 200 && body != null && body.path("choices").size() > 0 && body.has("id");
    JsonNode usage = r.status == 200 && body != null ? body.get("usage") : null;
    return new Call(key, r.requestId, r.status, complete, Usage.from(usage), cost(usage), r.body);
  }

  /** Records a streamed response made with {@code key}; returns it. */
  public Sse track(ClientKey key, Sse s) throws Exception {
    if (s.headerRequestId == null) {
      untracked.add("a stream (HTTP " + s.status + ") carried no x-request-id");
      return s;
    }
    add(call(key, s));
    return s;
  }

  /** What the client of a stream with an {@code x-request-id} saw. */
  static Call call(ClientKey key, Sse s) throws Exception {
    JsonNode usage = s.status == 200 ? s.usage() : null;
    String body = s.errorBody != null ? s.errorBody : String.join("\n", s.events);
    return new Call(
        key,
        s.headerRequestId,
        s.status,
        s.status == 200 && s.endedWithDone(),
        Usage.from(usage),
        cost(usage),
        body);
  }

  /**
   * Records a whole answer the OpenAI SDK returned with {@code key} (the SDK throws on anything
   * else); its request id is the completion's id under the {@code req_} prefix (README, The API).
   */
  public ChatCompletion track(ClientKey key, ChatCompletion completion) {
    String ulid = completion.id().substring(completion.id().indexOf('-') + 1);
    Usage shown =
        completion.usage().map(u -> Usage.of(u.promptTokens(), u.completionTokens())).orElse(null);
    add(new Call(key, "req_" + ulid, 200, true, shown, null, completion.toString()));
    return completion;
  }

  /** {@code usage.cost} (USD, six decimals at most) in µUSD; null when there is none. */
  private static Long cost(JsonNode usage) {
    JsonNode cost = usage == null ? null : usage.get("cost");
    return cost == null || !cost.isNumber()
        ? null
        : cost.decimalValue().movePointRight(6).longValueExact();
  }

  /** A receipt is due within {@value #RECEIPT_WAIT_SECONDS} s of the answer's end, i.e. now. */
  private void add(Call call) {
    receiptDeadlines.put(
        call.requestId(), System.nanoTime() + Duration.ofSeconds(RECEIPT_WAIT_SECONDS).toNanos());
    calls.put(call.requestId(), call);
  }

  /** Starts sampling {@code account}'s balance; {@link #check} fails if it ever went below zero. */
  public BalanceWatch watch(String account) {
    BalanceWatch w = new BalanceWatch(network.gateway.ledger(), account);
    watches.add(w);
    return w;
  }

  public Collection<Call> calls() {
    return List.copyOf(calls.values());
  }

  /**
   * The receipt envelope ({@code GET /v1/receipts/{id}}: {@code {"receipt": {...}, ...}}) of a
   * tracked request, waiting up to {@value #RECEIPT_WAIT_SECONDS} s for it; null when it has none.
   */
  public JsonNode receipt(String requestId) throws Exception {
    Call call = calls.get(requestId);
    if (call == null) {
      throw new IllegalArgumentException(requestId + " was not tracked");
    }
    return fetch(call, System.nanoTime() + Duration.ofSeconds(RECEIPT_WAIT_SECONDS).toNanos());
  }

  /** The receipts of all tracked requests that have one, by request id, once settled. */
  public Map<String, JsonNode> receipts() throws Exception {
    awaitSettled();
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Call c : calls.values()) {
      JsonNode r = fetch(c, 0);
      if (r != null) {
        out.put(c.requestId(), r);
      }
    }
    return out;
  }

  /** Waits for the network to settle, then checks every rule; fails listing all that broke. */
  public void check() throws Exception {
    List<String> broken = new ArrayList<>(untracked);
    for (Call c : withoutReceipt()) {
      broken.add(
          c.requestId()
              + ": the client got a complete answer (HTTP "
              + c.status()
              + ") but no receipt within "
              + RECEIPT_WAIT_SECONDS
              + " s");
    }
    Map<String, JsonNode> all = receipts();
    Ledger ledger = network.gateway.ledger();
    LedgerRules.ledger(ledger, all, broken);
    JsonNode keys = admin.keys();
    checkBalances(ledger, keys, broken);
    checkBudgets(keys, broken);
    checkUsageReports(all, broken);
    checkShownUsage(all, broken);
    if (!broken.isEmpty()) {
      throw new AssertionError(
          "the books do not add up (" + broken.size() + "):\n  - " + String.join("\n  - ", broken));
    }
  }

  private void checkBalances(Ledger ledger, JsonNode keys, List<String> broken) {
    Set<String> accounts = new TreeSet<>();
    keys.forEach(k -> accounts.add(k.get("account").asText()));
    calls.values().forEach(c -> accounts.add(c.key().account()));
    for (String account : accounts) {
      long balance = ledger.balance(AccountId.client(account));
      if (balance < 0) {
        broken.add(
            String.format(
                "account %s is %d µUSD ($%s) below zero", account, -balance, Usd.format(-balance)));
      }
    }
    for (BalanceWatch w : watches) {
      long lowest = w.lowestMicros();
      if (lowest < 0) {
        broken.add(
            String.format(
                "account %s went down to -%d µUSD during the run (%d samples)",
                w.account(), -lowest, w.samples()));
      }
    }
  }

  private static void checkBudgets(JsonNode keys, List<String> broken) {
    for (JsonNode k : keys) {
      JsonNode budget = k.get("budget_usd");
      if (budget == null || budget.isNull()) {
        continue;
      }
      long cap = Usd.parseMicros(budget.asText());
      long spent = Usd.parseMicros(k.get("spent_usd").asText());
      if (spent > cap) {
        broken.add(
            String.format(
                "key %s (%s) spent %d µUSD of its %d µUSD budget",
                k.get("id").asText(), k.get("name").asText(), spent, cap));
      }
    }
  }

  private void checkUsageReports(Map<String, JsonNode> receipts, List<String> broken)
      throws Exception {
    Map<String, ClientKey> keyOfAccount = new LinkedHashMap<>();
    Map<String, long[]> expected = new LinkedHashMap<>(); // account -> {cost, requests}
    for (Call c : calls.values()) {
      keyOfAccount.putIfAbsent(c.key().account(), c.key());
      long[] sums = expected.computeIfAbsent(c.key().account(), a -> new long[2]);
      JsonNode r = receipts.get(c.requestId());
      if (r != null) {
        sums[0] += r.at("/receipt/charge/total_charged").asLong();
        sums[1]++;
      }
    }
    for (Map.Entry<String, ClientKey> e : keyOfAccount.entrySet()) {
      HttpResult usage = HttpResult.get(network.baseUrl() + "/usage", e.getValue().secret());
      if (usage.status != 200) {
        broken.add("GET /v1/usage for " + e.getKey() + ": HTTP " + usage.status + " " + usage.body);
        continue;
      }
      JsonNode report = Json.parse(usage.body);
      long cost = report.at("/totals/cost_micros").asLong();
      long requests = report.at("/totals/num_model_requests").asLong();
      long[] sums = expected.get(e.getKey());
      if (cost != sums[0] || requests != sums[1]) {
        broken.add(
            String.format(
                "/v1/usage of %s says %d requests costing %d µUSD, its receipts %d costing %d µUSD",
                e.getKey(), requests, cost, sums[1], sums[0]));
      }
    }
  }

  private void checkShownUsage(Map<String, JsonNode> receipts, List<String> broken) {
    for (Call c : calls.values()) {
      JsonNode r = receipts.get(c.requestId());
      if (r != null && c.shown() != null) {
        LedgerRules.shownUsage(c.requestId(), c.shown(), c.costMicros(), r, broken);
      }
    }
  }

  /**
   * Waits until every complete answer has its receipt (at most {@value #RECEIPT_WAIT_SECONDS} s),
   * then until two reads half a second apart agree on the ledger's totals, each account's usage
   * totals and the keys' spend (settlements run just after the responses, off the request path).
   * Read spend and balances after this, not before.
   */
  public void awaitSettled() throws Exception {
    withoutReceipt();
    String previous = null;
    for (int i = 0; i < SETTLE_ROUNDS; i++) {
      String now = snapshot();
      if (now.equals(previous)) {
        return;
      }
      previous = now;
      Thread.sleep(SETTLE_POLL.toMillis());
    }
    throw new AssertionError("the books never settled; last: " + previous);
  }

  /** The complete answers that had no receipt {@value #RECEIPT_WAIT_SECONDS} s after they ended. */
  private List<Call> withoutReceipt() throws Exception {
    List<Call> missing = new ArrayList<>();
    for (Call c : calls.values()) {
      if (c.complete() && fetch(c, receiptDeadlines.get(c.requestId())) == null) {
        missing.add(c);
      }
    }
    return missing;
  }

  private String snapshot() throws Exception {
    StringBuilder out = new StringBuilder(network.gateway.ledger().totals().toString());
    Set<String> seen = new TreeSet<>();
    for (Call c : calls.values()) {
      if (seen.add(c.key().account())) {
        HttpResult usage = HttpResult.get(network.baseUrl() + "/usage", c.key().secret());
        JsonNode report = parse(usage.body);
        out.append('\n').append(report == null ? usage.body : report.get("totals"));
      }
    }
    out.append('\n').append(admin.spentMicros());
    return out.toString();
  }

  /** The receipt of {@code call}, asking until {@code deadlineNanos}; null when it has none. */
  private JsonNode fetch(Call call, long deadlineNanos) throws Exception {
    JsonNode known = receipts.get(call.requestId());
    if (known != null) {
      return known;
    }
    while (true) {
      HttpResult r =
          HttpResult.get(network.baseUrl() + "/receipts/" + call.requestId(), call.key().secret());
      if (r.status == 200) {
        JsonNode receipt = Json.parse(r.body);
        receipts.put(call.requestId(), receipt);
        return receipt;
      }
      if (r.status != 404) {
        throw new AssertionError(
            "GET /v1/receipts/" + call.requestId() + ": HTTP " + r.status + " " + r.body);
      }
      if (System.nanoTime() > deadlineNanos) {
        return null;
      }
      Thread.sleep(250);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return Json.parse(body);
    } catch (Exception e) {
      return null;
    }
  }
}
