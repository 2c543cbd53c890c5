package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Every request this coordinator settled whose token can still be settled: one request, one
 * receipt, for as long as a retry could come (until the token's {@code settle_by_ms}; after that
 * the coordinator refuses the token anyway), not only for the last N. Each entry keeps the hash of
 * the evidence it was signed from and its leaf index in the log; the receipts themselves are kept
 * for the most recent {@code receiptCapacity} settlements only, so a retry of an older one learns
 * where its receipt is in the log instead of getting the bytes again.
 *
 * <p>Memory: about 150 bytes per request settled in the last settle window (at 500 requests a
 * second and a 61-minute window, about 280 MB), plus the cached receipts (about 3 KiB each).
 */
final class SettledRequests {
  /**
   * One settled request.
   *
   * @param evidence SHA-256 of the settle request it was signed from; null for a receipt this
   *     coordinator did not sign (re-logged from a predecessor), which no evidence repeats
   * @param logIndex its receipt's leaf index in the transparency log
   */
  record Settled(byte[] evidence, long logIndex, long settleByMs) {
    boolean sameEvidence(byte[] other) {
      return evidence != null && Arrays.equals(evidence, other);
    }
  }

  private record Expiry(long atMs, String requestId) {}

  private final Map<String, Settled> byRequest = new HashMap<>();
  private final PriorityQueue<Expiry> expiries =
      new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
  private final Map<String, SignedReceipt> recent;

  SettledRequests(int receiptCapacity) {
    this.recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SignedReceipt> eldest) {
            return size() > receiptCapacity;
          }
        };
  }

  synchronized Optional<Settled> find(String requestId, long nowMs) {
    forgetExpired(nowMs);
    return Optional.ofNullable(byRequest.get(requestId));
  }

  /** The receipt signed for {@code requestId}, while it is among the most recent. */
  synchronized Optional<SignedReceipt> receipt(String requestId) {
    return Optional.ofNullable(recent.get(requestId));
  }

  /**
   * Keeps {@code settled} unless the request is kept already; returns the kept one.
   *
   * @param receipt the receipt signed now, cached for byte-identical retries; null for none
   */
  synchronized Settled keep(String requestId, Settled settled, SignedReceipt receipt) {
    Settled kept = byRequest.putIfAbsent(requestId, settled);
    if (kept != null) {
      return kept;
    }
    expiries.add(new Expiry(settled.settleByMs(), requestId));
    if (receipt != null) {
      recent.put(requestId, receipt);
    }
    return settled;
  }

  synchronized int size() {
    return byRequest.size();
  }

  private void forgetExpired(long nowMs) {
    while (!expiries.isEmpty() && expiries.peek().atMs() < nowMs) {
      String id = expiries.poll().requestId();
      byRequest.remove(id);
      recent.remove(id);
    }
  }
}
