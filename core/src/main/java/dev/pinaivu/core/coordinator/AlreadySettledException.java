package dev.pinaivu.core.coordinator;

/**
 * The request was settled before with this very evidence, and its receipt is no longer among the
 * receipts the coordinator keeps: it is entry {@link #logIndex()} of the transparency log, which
 * the parent has stored, so it finds the receipt there. Rare: it takes a parent that lost the
 * coordinator's answer and retried after thousands of later settlements.
 */
public final class AlreadySettledException extends RuntimeException {
  private final long logIndex;

  /**
   * @param message what the coordinator said, naming the request
   */
  public AlreadySettledException(String message, long logIndex) {
    super(message, null, false, false);
    this.logIndex = logIndex;
  }

  static AlreadySettledException of(String requestId, long logIndex) {
    return new AlreadySettledException(
        "request " + requestId + " is already settled: its receipt is log entry " + logIndex,
        logIndex);
  }

  public long logIndex() {
    return logIndex;
  }
}
