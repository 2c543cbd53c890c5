package dev.pinaivu.core.billing;

import dev.pinaivu.core.id.RequestId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link PendingSettlements} in memory: the fake for tests, lost with the process. */
public final class InMemoryPendingSettlements implements PendingSettlements {
  private final Map<RequestId, PendingSettlement> kept = new LinkedHashMap<>();

  @Override
  public synchronized void keep(PendingSettlement settlement) {
    kept.putIfAbsent(settlement.requestId(), settlement);
  }

  @Override
  public synchronized Optional<PendingSettlement> find(RequestId requestId) {
    return Optional.ofNullable(kept.get(requestId));
  }

  @Override
  public synchronized void forget(RequestId requestId) {
    kept.remove(requestId);
  }

  @Override
  public synchronized List<PendingSettlement> keptUntil(long keptAtMs) {
    return kept.values().stream()
        .filter(p -> p.keptAtMs() <= keptAtMs)
        .sorted(Comparator.comparingLong(PendingSettlement::keptAtMs))
        .toList();
  }
}
