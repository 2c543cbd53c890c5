package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;

/**
 * A live node that offers the requested model, with what routing weighs.
 *
 * @param latencyMs recent time to first token (moving average); NaN when not yet measured
 * @param recentFailures failures since the last success, for backing off flaky nodes
 */
public record NodeCandidate(
    NodeId nodeId,
    ModelOffer offer,
    int activeJobs,
    int capacity,
    double latencyMs,
    int recentFailures) {

  public boolean hasFreeSlot() {
    return activeJobs < capacity;
  }
}
