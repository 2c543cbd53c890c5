package dev.pinaivu.core.ledger;

import java.util.Objects;

/**
 * What {@link Ledger#settle} did. A retry gets the original {@code settledAtMs} back, so both
 * answers describe the one settlement that happened.
 */
public record SettlementResult(Status status, Settlement settlement, long settledAtMs) {
  public enum Status {
    /** This call moved the money. */
    APPLIED,
    /** An identical settlement was already recorded; nothing moved. */
    ALREADY_SETTLED
  }

  public SettlementResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(settlement, "settlement");
  }
}
