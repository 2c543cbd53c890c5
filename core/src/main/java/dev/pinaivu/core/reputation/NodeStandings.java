package dev.pinaivu.core.reputation;

import dev.pinaivu.core.node.NodeId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every node's {@link NodeConduct}, by node id, kept across its reconnects so that leaving does not
 * clear a quarantine. A node nothing happened to for {@link #FORGET_AFTER_MS} and that is not
 * quarantined nor connected is forgotten: it comes back as new, on probation.
 */
public final class NodeStandings {
  /** One hour: by then its reputation has decayed to within 2% of a new node's. */
  public static final long FORGET_AFTER_MS = 3_600_000;

  private final ConductRules rules;
  private final Map<NodeId, NodeConduct> byNode = new ConcurrentHashMap<>();

  public NodeStandings(ConductRules rules) {
    this.rules = rules;
  }

  public ConductRules rules() {
    return rules;
  }

  /** The record of {@code node}, begun now if it has none. */
  public NodeConduct of(NodeId node, long nowMs) {
    return byNode.computeIfAbsent(node, n -> new NodeConduct(rules, nowMs));
  }

  /** Its reputation now: a new node's (0.5) when it has no record. */
  public double reputation(NodeId node, long nowMs) {
    NodeConduct conduct = byNode.get(node);
    return conduct == null ? Reputation.fresh(nowMs).score(nowMs) : conduct.reputation(nowMs);
  }

  /** Whether it is quarantined now; false when it has no record. */
  public boolean quarantined(NodeId node, long nowMs) {
    NodeConduct conduct = byNode.get(node);
    return conduct != null && conduct.quarantined(nowMs);
  }

  /** Forgets the records of nodes idle since {@link #FORGET_AFTER_MS}, unless {@code keep}. */
  public void forgetIdle(long nowMs, Predicate<NodeId> keep) {
    byNode
        .entrySet()
        .removeIf(e ->
            nowMs - e.getValue().lastEventMs() >= FORGET_AFTER_MS
                && !e.getValue().quarantined(nowMs)
                && !keep.test(e.getKey()));
  }

  /** How many nodes it remembers. */
  public int size() {
    return byNode.size();
  }
}
