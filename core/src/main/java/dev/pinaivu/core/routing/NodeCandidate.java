package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.receipt.SignedOffer;

/**
 * A live node that offers the requested model, with what routing weighs and what the coordinator
 * needs to price a token at the node's own signed offer.
 *
 * @param signedOffer the node's offer exactly as it signed it
 * @param publicKey the key the node authenticated with
 * @param latencyMs recent time to first token (moving average); NaN when not yet measured
 * @param recentFailures failures since the last success, for backing off flaky nodes
 */
public record NodeCandidate(
    NodeId nodeId,
    ModelOffer offer,
    SignedOffer signedOffer,
    byte[] publicKey,
    int activeJobs,
    int capacity,
    double latencyMs,
    int recentFailures) {

  public boolean hasFreeSlot() {
    return activeJobs < capacity;
  }
}
