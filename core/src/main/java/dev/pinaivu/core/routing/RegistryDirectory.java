package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodeConduct;
import dev.pinaivu.core.reputation.Standing;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link NodeDirectory} of a process that holds no node connection (a Lambda): every node in
 * the shared {@link NodeRegistry} that was heard from within {@code maxSilenceMs}, standing as its
 * shared {@link ConductRecords} say (a quarantined node is neither a candidate nor listed). What
 * routing learns is written back to both. It reads the registry on every call; a cache of a second
 * is the caller's to add where a call per request is too many.
 */
public final class RegistryDirectory implements NodeDirectory {
  private final NodeRegistry registry;
  private final ConductRecords conduct;
  private final ConductRules rules;
  private final long maxSilenceMs;
  private final InstantSource clock;

  /**
   * @param maxSilenceMs how long after a node's last heartbeat it still counts as live (three
   *     heartbeat intervals, as the gateway holding its connection counts)
   */
  public RegistryDirectory(
      NodeRegistry registry,
      ConductRecords conduct,
      ConductRules rules,
      long maxSilenceMs,
      InstantSource clock) {
    this.registry = registry;
    this.conduct = conduct;
    this.rules = rules;
    this.maxSilenceMs = maxSilenceMs;
    this.clock = clock;
  }

  private List<RegisteredNode> live(long now) {
    return registry.all(now).stream().filter(n -> n.fresh(now, maxSilenceMs)).toList();
  }

  /** What the shared records say {@code node} did; a new node's record when they hold none. */
  private NodeConduct conductOf(NodeId node, long now) {
    return conduct
        .find(node)
        .map(r -> NodeConduct.of(rules, r))
        .orElseGet(() -> new NodeConduct(rules, now));
  }

  /**
   * The node's standing now, from its shared conduct record: whether it may be routed to and the
   * capacity it may be given (its offer's, capped on probation, ADR 22). A dispatcher checks it
   * again at dispatch, as the local gateway does.
   */
  public Standing standing(RegisteredNode node, long now) {
    return conductOf(node.nodeId(), now).standing(now, node.entry().offer().capacity());
  }

  @Override
  public List<NodeCandidate> candidates(String model) {
    long now = clock.millis();
    List<NodeCandidate> out = new ArrayList<>();
    for (RegisteredNode node : live(now)) {
      NodeEntry entry = node.entry();
      for (ModelOffer offer : entry.offer().models()) {
        if (!offer.id().equals(model)) {
          continue;
        }
        Standing standing = standing(node, now);
        if (standing.routable()) {
          out.add(
              new NodeCandidate(
                  node.nodeId(),
                  offer,
                  entry.signed(),
                  entry.publicKey(),
                  node.busy(),
                  standing.capacityCap(),
                  node.latencyMs(),
                  node.recentFailures(),
                  standing,
                  entry.apis()));
        }
      }
    }
    return out;
  }

  /**
   * Whether a node in the registry, live or not, offers it: the registry forgets a node that left.
   */
  @Override
  public boolean offeredRecently(String model) {
    long now = clock.millis();
    return registry.all(now).stream()
        .anyMatch(n -> n.entry().offer().models().stream().anyMatch(m -> m.id().equals(model)));
  }

  @Override
  public List<LiveOffer> liveOffers() {
    long now = clock.millis();
    List<LiveOffer> out = new ArrayList<>();
    for (RegisteredNode node : live(now)) {
      if (standing(node, now).routable()) {
        node.entry()
            .offer()
            .models()
            .forEach(m -> out.add(new LiveOffer(node.nodeId(), m, node.entry().connectedAtMs())));
      }
    }
    return out;
  }

  @Override
  public void recordSuccess(NodeId node, double latencyMs) {
    long now = clock.millis();
    int concurrency = registry.find(node, now).map(RegisteredNode::busy).orElse(0) + 1;
    registry.succeeded(node, latencyMs);
    record(node, now, c -> c.succeeded(now, latencyMs, concurrency));
  }

  @Override
  public void recordFailure(NodeId node) {
    long now = clock.millis();
    registry.failed(node);
    record(node, now, c -> c.failed(now));
  }

  @Override
  public void recordDeadlineMiss(NodeId node, double waitedMs) {
    long now = clock.millis();
    registry.failed(node);
    record(node, now, c -> c.missedDeadline(now, waitedMs));
  }

  @Override
  public void recordOverclaim(NodeId node) {
    long now = clock.millis();
    registry.failed(node);
    record(node, now, c -> c.overclaimed(now));
  }

  private void record(NodeId node, long now, java.util.function.Consumer<NodeConduct> event) {
    NodeConduct c = conductOf(node, now);
    event.accept(c);
    conduct.save(node, c.record());
  }
}
