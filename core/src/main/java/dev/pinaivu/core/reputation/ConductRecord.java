package dev.pinaivu.core.reputation;

import dev.pinaivu.core.reputation.Standing.Phase;
import java.util.Objects;

/**
 * A node's {@link NodeConduct} as a value, to keep it where every gateway process reads it ({@link
 * ConductRecords}): a node that misbehaved on one gateway and connects to another is met there with
 * its record, quarantine included (ADR 22, ADR 21).
 */
public record ConductRecord(
    Reputation reputation,
    Phase phase,
    long quarantinedUntilMs,
    int quarantines,
    int probationSuccesses,
    int streak,
    int strikes,
    int shownConcurrency,
    long successes,
    long failures,
    long overclaims,
    long lastEventMs,
    boolean linkLost,
    long linkLostAtMs) {
  public ConductRecord {
    Objects.requireNonNull(reputation, "reputation");
    Objects.requireNonNull(phase, "phase");
  }

  /** Until when a store must keep it: an hour past its last event, or its quarantine's end. */
  public long keepUntilMs() {
    return Math.max(lastEventMs, quarantinedUntilMs) + NodeStandings.FORGET_AFTER_MS;
  }
}
