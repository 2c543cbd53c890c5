package dev.pinaivu.core.limits;

import dev.pinaivu.core.id.RequestId;
import java.util.HashMap;
import java.util.Map;

/** The one in-memory fake of {@link KeySpend}, for use-case tests; held to the same contract. */
public final class InMemoryKeySpend implements KeySpend {
  private record Spend(String keyId, long micros) {}

  private final Map<RequestId, Spend> byRequest = new HashMap<>();
  private final Map<String, Long> totals = new HashMap<>();

  @Override
  public synchronized boolean recordSpend(String keyId, RequestId requestId, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("a spend cannot be negative: " + micros);
    }
    Spend recorded = byRequest.get(requestId);
    if (recorded != null) {
      if (!recorded.equals(new Spend(keyId, micros))) {
        throw new IllegalArgumentException("request " + requestId + " was recorded otherwise");
      }
      return false;
    }
    long total = Math.addExact(totals.getOrDefault(keyId, 0L), micros);
    byRequest.put(requestId, new Spend(keyId, micros));
    totals.put(keyId, total);
    return true;
  }

  @Override
  public synchronized long spentMicros(String keyId) {
    return totals.getOrDefault(keyId, 0L);
  }
}
