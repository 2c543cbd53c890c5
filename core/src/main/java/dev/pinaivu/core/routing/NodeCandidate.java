package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.reputation.Standing;
import java.util.EnumSet;
import java.util.Set;

/**
 * A live node that offers the requested model, with what routing weighs and what the coordinator
 * needs to price a token at the node's own signed offer.
 *
 * @param signedOffer the node's offer exactly as it signed it
 * @param publicKey the key the node authenticated with
 * @param latencyMs recent time to first token (moving average); NaN when not yet measured
 * @param capacity the most jobs it may hold: its offer's capacity, capped by what it has shown
 * @param recentFailures failures since the last success, for backing off flaky nodes
 * @param standing its reputation and whether it is on probation (ADR 22)
 * @param apis the APIs whose jobs it runs (older agents: chat only)
 */
public record NodeCandidate(
    NodeId nodeId,
    ModelOffer offer,
    SignedOffer signedOffer,
    byte[] publicKey,
    int activeJobs,
    int capacity,
    double latencyMs,
    int recentFailures,
    Standing standing,
    Set<ApiKind> apis) {

  /** A candidate that runs the jobs of every API. */
  public NodeCandidate(
      NodeId nodeId,
      ModelOffer offer,
      SignedOffer signedOffer,
      byte[] publicKey,
      int activeJobs,
      int capacity,
      double latencyMs,
      int recentFailures,
      Standing standing) {
    this(
        nodeId,
        offer,
        signedOffer,
        publicKey,
        activeJobs,
        capacity,
        latencyMs,
        recentFailures,
        standing,
        EnumSet.allOf(ApiKind.class));
  }

  /** A candidate whose standing nobody knows: routed as an established node of reputation 0.5. */
  public NodeCandidate(
      NodeId nodeId,
      ModelOffer offer,
      SignedOffer signedOffer,
      byte[] publicKey,
      int activeJobs,
      int capacity,
      double latencyMs,
      int recentFailures) {
    this(
        nodeId,
        offer,
        signedOffer,
        publicKey,
        activeJobs,
        capacity,
        latencyMs,
        recentFailures,
        Standing.UNKNOWN);
  }

  /** Whether it runs jobs of {@code api}. */
  public boolean runs(ApiKind api) {
    return apis.contains(api);
  }

  public boolean hasFreeSlot() {
    return activeJobs < capacity;
  }
}
