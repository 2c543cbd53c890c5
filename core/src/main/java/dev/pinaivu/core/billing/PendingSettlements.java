package dev.pinaivu.core.billing;

import dev.pinaivu.core.id.RequestId;
import java.util.List;
import java.util.Optional;

/**
 * Port: settlements the gateway owes, kept durably from the moment the node's proof arrives until
 * the receipt is stored, so that neither a gateway crash nor a coordinator outage in between lets a
 * served request go unbilled and its node unpaid. Every adapter passes {@code
 * PendingSettlementsContract}.
 */
public interface PendingSettlements {
  /** Keeps {@code settlement}; keeping one already kept under its request id changes nothing. */
  void keep(PendingSettlement settlement);

  /** The settlement kept for {@code requestId}, read consistently; empty once it is forgotten. */
  Optional<PendingSettlement> find(RequestId requestId);

  /** Forgets the settlement of {@code requestId}, once settled or refused for good. */
  void forget(RequestId requestId);

  /** The settlements kept at or before {@code keptAtMs}, oldest first. */
  List<PendingSettlement> keptUntil(long keptAtMs);
}
