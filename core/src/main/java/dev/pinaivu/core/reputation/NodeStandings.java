package dev.pinaivu.core.reputation;

import dev.pinaivu.core.node.NodeId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's {@link NodeConduct}, by node id, kept across its reconnects so that leaving does not
 * clear a quarantine. A node nothing happened to for {@link #FORGET_AFTER_MS} and that is not
 * quarantined nor connected is forgotten: it comes back as new, on probation.
 */
public final class NodeStandings {
  /** One hour: by then its reputation has decayed to within 2% of a new node's. */
  public static final long FORGET_AFTER_MS = 3_600_000;

  private static final Logger log = LoggerFactory.getLogger(NodeStandings.class);
  private final ConductRules rules;
  private final ConductRecords records;
  private final Map<NodeId, NodeConduct> byNode = new ConcurrentHashMap<>();

  /** Standings kept in this process only. */
  public NodeStandings(ConductRules rules) {
    this(rules, new InMemoryConductRecords());
  }

  /**
   * @param records where every event's outcome is kept, and read back when a node connects: shared
   *     by the processes a node may connect to
   */
  public NodeStandings(ConductRules rules, ConductRecords records) {
    this.rules = rules;
    this.records = records;
  }

  public ConductRules rules() {
    return rules;
  }

  /** The record of {@code node}, begun now if it has none. */
  public NodeConduct of(NodeId node, long nowMs) {
    return byNode.computeIfAbsent(node, n -> new NodeConduct(rules, nowMs));
  }

  /**
   * {@code node} connects: its record is read from the shared {@link ConductRecords}, so that what
   * it did while connected to another process counts here (a quarantine there is one here). A
   * record only this process holds is kept.
   */
  public void connected(NodeId node) {
    records.find(node).ifPresent(r -> byNode.put(node, NodeConduct.of(rules, r)));
  }

  /** Applies {@code event} to {@code node}'s record (begun now if it has none) and keeps it. */
  public void record(NodeId node, long nowMs, Consumer<NodeConduct> event) {
    NodeConduct conduct = of(node, nowMs);
    synchronized (conduct) { // kept in the order the events happened
      event.accept(conduct);
      try {
        records.save(node, conduct.record());
      } catch (RuntimeException e) { // this process still holds it; the next event saves it again
        log.warn("the conduct of node {} was not saved: {}", node, e.getMessage());
      }
    }
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
