package dev.pinaivu.core.ledger;

import java.util.Objects;

/** What {@link Ledger#credit} did; a retry gets the original {@code creditedAtMs} back. */
public record TopUpResult(Status status, TopUp topUp, long creditedAtMs) {
  public enum Status {
    /** This call added the credit. */
    APPLIED,
    /** An identical top-up was already recorded; nothing moved. */
    ALREADY_CREDITED
  }

  public TopUpResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(topUp, "topUp");
  }
}
