package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.NodeId;
import java.util.List;

/** Port: the live nodes of the network and what they offer right now. */
public interface NodeDirectory {
  /** Live nodes (fresh heartbeat, valid offer) that serve {@code model}. */
  List<NodeCandidate> candidates(String model);

  /**
   * Whether any node offered {@code model} lately (a live node, quarantined or not, or one gone
   * within the directory's memory), or the directory is too new to know: a model it does not know
   * is a 404, one it knows with no node up a 503 (ADR 29).
   */
  default boolean offeredRecently(String model) {
    return true;
  }

  /** Every live node's offer of every model, for the model list. */
  List<LiveOffer> liveOffers();

  /** Feeds routing: a job on {@code node} produced its first token after {@code latencyMs}. */
  void recordSuccess(NodeId node, double latencyMs);

  /** Feeds routing: a job on {@code node} failed before producing anything. */
  void recordFailure(NodeId node);

  /**
   * Feeds routing: a job on {@code node} gave no output within its deadline, after {@code
   * waitedMs}. Counted as a failure that was also slow.
   */
  default void recordDeadlineMiss(NodeId node, double waitedMs) {
    recordFailure(node);
  }

  /**
   * Feeds routing: {@code node} claimed far more usage than it delivered (ClaimCheck). Counted as a
   * failure, so routing sends it less until it serves honestly again.
   */
  default void recordOverclaim(NodeId node) {
    recordFailure(node);
  }
}
