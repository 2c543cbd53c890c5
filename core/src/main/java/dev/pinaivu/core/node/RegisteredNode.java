package dev.pinaivu.core.node;

/**
 * A node in the {@link NodeRegistry} as it stands now.
 *
 * @param lastSeenMs its last heartbeat, offer or join, by the registry's writers' clocks
 * @param slots jobs holding a slot on it whose lease has not run out
 * @param reportedJobs what its last heartbeat said it runs, with the slots taken since added and
 *     those released since taken off
 * @param latencyMs moving average of its time to first token; NaN before the first
 * @param recentFailures failures since its last success
 * @param successes jobs it delivered on this connection
 * @param failures jobs that failed on it on this connection
 */
public record RegisteredNode(
    NodeEntry entry,
    long lastSeenMs,
    int slots,
    int reportedJobs,
    double latencyMs,
    int recentFailures,
    long successes,
    long failures) {

  public NodeId nodeId() {
    return entry.nodeId();
  }

  /**
   * How many jobs it runs, for admission: the slots held, or more if the node says so. A node's own
   * count only ever makes it look busier (ADR 21), so a node that under-reports gains nothing.
   */
  public int busy() {
    return Math.max(slots, reportedJobs);
  }

  /** Whether it heard from the node within {@code maxSilenceMs} of {@code nowMs}. */
  public boolean fresh(long nowMs, long maxSilenceMs) {
    return nowMs - lastSeenMs <= maxSilenceMs;
  }
}
