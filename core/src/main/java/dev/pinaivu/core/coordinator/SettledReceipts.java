package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.Settlement;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The receipts signed most recently, by request id, each with the evidence it was signed from. A
 * retried settle finds its receipt here and gets the same bytes back (same {@code issued_at_ms},
 * same signature) instead of a second receipt for one request. Bounded: the least recently used
 * entry goes first.
 */
final class SettledReceipts {
  /** A signed receipt and the settle request it came from. */
  record Settled(Coordinator.SettleRequest evidence, SignedReceipt receipt) {
    boolean sameEvidenceAs(Coordinator.SettleRequest other) {
      return Evidence.of(evidence).equals(Evidence.of(other));
    }
  }

  /** What makes two settle requests the same; arrays compared by content. */
  private record Evidence(
      String token,
      SignedProof proof,
      String nodeKey,
      Settlement.Delivery delivery,
      String accountRef) {
    static Evidence of(Coordinator.SettleRequest r) {
      return new Evidence(
          r.dispatchToken(),
          r.proof(),
          HexFormat.of().formatHex(r.nodePublicKey()),
          r.delivery(),
          r.accountRef());
    }
  }

  private final Map<String, Settled> byRequest;

  SettledReceipts(int capacity) {
    this.byRequest =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Settled> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized Optional<Settled> find(String requestId) {
    return Optional.ofNullable(byRequest.get(requestId));
  }

  /**
   * Keeps {@code settled} unless a receipt for the request is already kept; returns the kept one.
   */
  synchronized Settled keep(String requestId, Settled settled) {
    return byRequest.computeIfAbsent(requestId, id -> settled);
  }

  synchronized int size() {
    return byRequest.size();
  }
}
