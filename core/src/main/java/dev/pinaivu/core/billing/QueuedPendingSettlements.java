package dev.pinaivu.core.billing;

import dev.pinaivu.core.id.RequestId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owed settlements kept in {@code store}, each followed by a reminder on {@code queue} once it is
 * durable (ADR 36): the item first, so that a reminder never points at nothing that will exist. A
 * reminder the queue refuses is logged, not thrown: the settlement is kept and the answer goes on;
 * the scheduled sweep completes it if this process dies before it settles.
 */
public final class QueuedPendingSettlements implements PendingSettlements {
  private static final Logger log = LoggerFactory.getLogger(QueuedPendingSettlements.class);

  private final PendingSettlements store;
  private final SettleQueue queue;

  public QueuedPendingSettlements(PendingSettlements store, SettleQueue queue) {
    this.store = store;
    this.queue = queue;
  }

  @Override
  public void keep(PendingSettlement settlement) {
    store.keep(settlement);
    try {
      queue.remind(settlement.requestId());
    } catch (SettleQueueUnavailableException e) {
      log.warn(
          "{} kept, but the settle queue refused its reminder ({}); the sweep completes it",
          settlement.requestId(),
          e.getMessage());
    }
  }

  @Override
  public Optional<PendingSettlement> find(RequestId requestId) {
    return store.find(requestId);
  }

  @Override
  public void forget(RequestId requestId) {
    store.forget(requestId);
  }

  @Override
  public List<PendingSettlement> keptUntil(long keptAtMs) {
    return store.keptUntil(keptAtMs);
  }
}
