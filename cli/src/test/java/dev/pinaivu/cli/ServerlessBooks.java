package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.usage.StoredReceipt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The books check of a {@link ServerlessDeployment}, as {@link Books} is the local gateway's: a
 * test hands it every chat response it got from the deployment's key; {@link #check} waits until
 * every invocation ended and fails, listing every broken rule at once, unless the {@link
 * LedgerRules} hold (debits equal credits and fees, and the receipts' charges; each receipt settled
 * once), no client is below zero, each node was credited exactly what its receipts pay it, every
 * complete answer has a receipt within {@value Books#RECEIPT_WAIT_SECONDS} s, and no client was
 * billed more tokens than its response showed it. The deployment's REST API serves chat only, so
 * receipts are read from the table, not from {@code /v1/receipts}. The ledger's totals cover the
 * whole deployment: tests that share one share its books, and track every call.
 */
public final class ServerlessBooks {
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(Books.RECEIPT_WAIT_SECONDS);

  private final ServerlessDeployment deployment;
  private final ClientKey key;
  private final Map<String, Books.Call> calls = new ConcurrentHashMap<>();
  private final List<String> untracked = new CopyOnWriteArrayList<>();
  private final Set<String> unproved = ConcurrentHashMap.newKeySet();

  public ServerlessBooks(ServerlessDeployment deployment) {
    this.deployment = deployment;
    this.key = new ClientKey("serverless", deployment.key, ServerlessDeployment.ACCOUNT);
  }

  /** Records a non-streamed response; returns it. */
  public HttpResult track(HttpResult r) {
    if (r.requestId == null) {
      untracked.add("a response (HTTP " + r.status + ") carried no x-request-id: " + r.body);
    } else {
      calls.put(r.requestId, Books.call(key, r));
    }
    return r;
  }

  /** Records a streamed response; returns it. */
  public Sse track(Sse s) throws Exception {
    if (s.headerRequestId == null) {
      untracked.add("a stream (HTTP " + s.status + ") carried no x-request-id");
    } else {
      calls.put(s.headerRequestId, Books.call(key, s));
    }
    return s;
  }

  /**
   * The signed receipt envelope ({@code {"receipt": {...}, ...}}) of a request, waiting up to
   * {@value Books#RECEIPT_WAIT_SECONDS} s for it; null when it has none.
   */
  public JsonNode receipt(String requestId) throws Exception {
    return receipt(requestId, RECEIPT_WAIT);
  }

  private JsonNode receipt(String requestId, Duration wait) throws Exception {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<StoredReceipt> found = deployment.receipt(requestId);
      if (found.isPresent()) {
        return Json.parse(found.get().signedReceipt());
      }
      if (System.nanoTime() > end) {
        return null;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Marks a tracked request whose node sent no valid proof: the client may have had its whole
   * answer, but no receipt and no settlement may exist for it (docs/node-protocol.md: without a
   * valid proof the node is not paid and the client is not charged).
   */
  public void unproved(String requestId) {
    unproved.add(requestId);
  }

  /** What {@code node} has earned so far, in µUSD. */
  public long credited(NodeId node) {
    return deployment.ledger().balance(AccountId.node(node));
  }

  /** The client account's balance now, in µUSD. */
  public long clientBalance() {
    return deployment.ledger().balance(AccountId.client(ServerlessDeployment.ACCOUNT));
  }

  private Ledger ledger() {
    return deployment.ledger();
  }

  /** Waits for every invocation to end, then checks every rule; fails listing all that broke. */
  public void check() throws Exception {
    deployment.awaitInvocationsEnded();
    List<String> broken = new ArrayList<>(untracked);
    Map<String, JsonNode> receipts = new LinkedHashMap<>();
    for (Books.Call c : calls.values()) {
      // an answer cut short may have a receipt too (what was delivered is billed)
      boolean due = c.complete() && !unproved.contains(c.requestId());
      JsonNode r = receipt(c.requestId(), due ? RECEIPT_WAIT : Duration.ZERO);
      if (unproved.contains(c.requestId())
          && (r != null || ledger().settlement(RequestId.parse(c.requestId())).isPresent())) {
        broken.add(c.requestId() + ": its node proved nothing, yet it was settled: " + r);
      }
      if (r != null) {
        receipts.put(c.requestId(), r);
      } else if (due) {
        broken.add(
            c.requestId()
                + ": the client got a complete answer (HTTP "
                + c.status()
                + ") but no receipt within "
                + Books.RECEIPT_WAIT_SECONDS
                + " s");
      }
    }
    Ledger ledger = ledger();
    LedgerRules.ledger(ledger, receipts, broken);
    long balance = clientBalance();
    if (balance < 0) {
      broken.add("account " + ServerlessDeployment.ACCOUNT + " is " + -balance + " µUSD below 0");
    }
    Map<String, Long> earned = new TreeMap<>();
    receipts
        .values()
        .forEach(r ->
            earned.merge(
                r.at("/receipt/node_id").asText(),
                r.at("/receipt/charge/node_amount").asLong(),
                Long::sum));
    earned.forEach((node, amount) -> {
      long credited = ledger.balance(AccountId.node(NodeId.parse(node)));
      if (credited != amount) {
        broken.add(
            String.format(
                "node %s was credited %d µUSD, its receipts pay it %d", node, credited, amount));
      }
    });
    for (Books.Call c : calls.values()) {
      JsonNode r = receipts.get(c.requestId());
      if (r != null && c.shown() != null) {
        LedgerRules.shownUsage(c.requestId(), c.shown(), c.costMicros(), r, broken);
      }
    }
    if (!broken.isEmpty()) {
      throw new AssertionError(
          "the books do not add up (" + broken.size() + "):\n  - " + String.join("\n  - ", broken));
    }
  }
}
