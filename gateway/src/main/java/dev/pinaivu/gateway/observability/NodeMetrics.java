package dev.pinaivu.gateway.observability;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.gateway.nodes.NodeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The series of each live node, refreshed before every scrape: registered when a node goes live,
 * removed when it leaves, so that a node's series do not outlive it. This is the one place where
 * per-node meters are registered: the node's reputation, its phase (probation, established,
 * quarantined) and the capacity it is trusted with, beside its job counts (ADR 22). At most {@value
 * #MAX_NODES} nodes get series of their own (a swarm of nodes must not swamp the metrics store);
 * the totals of the request metrics count them all.
 */
final class NodeMetrics {
  static final int MAX_NODES = 1_000;

  private final MeterRegistry registry;
  private final Supplier<List<NodeStats>> nodes;
  private final Map<NodeId, Series> series = new HashMap<>();

  NodeMetrics(MeterRegistry registry, Supplier<List<NodeStats>> nodes) {
    this.registry = registry;
    this.nodes = nodes;
  }

  /** The meters of one node, reading its latest stats (held here: Micrometer holds them weakly). */
  private static final class Series {
    volatile NodeStats stats;
    final List<Meter> meters;

    Series(MeterRegistry registry, NodeStats first) {
      this.stats = first;
      String node = first.nodeId().value();
      this.meters =
          List.of(
              FunctionCounter.builder("pinaivu.node.jobs", this, s -> s.stats.successes())
                  .description("Jobs a node delivered or failed, since its current connection")
                  .tags("node", node, "outcome", "success")
                  .register(registry),
              FunctionCounter.builder("pinaivu.node.jobs", this, s -> s.stats.failures())
                  .description("Jobs a node delivered or failed, since its current connection")
                  .tags("node", node, "outcome", "failure")
                  .register(registry),
              Gauge.builder("pinaivu.node.active.jobs", this, s -> s.stats.activeJobs())
                  .description("Jobs running on a node now")
                  .tags("node", node)
                  .register(registry),
              Gauge.builder("pinaivu.node.capacity", this, s -> s.stats.capacity())
                  .description("Jobs a node's offer says it runs at once")
                  .tags("node", node)
                  .register(registry),
              Gauge.builder(
                      "pinaivu.node.capacity.trusted",
                      this,
                      s -> Math.min(s.stats.capacity(), s.stats.standing().capacityCap()))
                  .description("Jobs a node is sent at once: its offer's, capped by what it showed")
                  .tags("node", node)
                  .register(registry),
              Gauge.builder("pinaivu.node.reputation", this, s -> s.stats.standing().reputation())
                  .description("A node's reputation: 0.6 x success + 0.4 x latency, decaying")
                  .tags("node", node)
                  .register(registry),
              Gauge.builder("pinaivu.node.success", this, s -> s.stats.standing().success())
                  .description("A node's decayed share of successful jobs")
                  .tags("node", node)
                  .register(registry));
    }
  }

  synchronized void refresh() {
    Set<NodeId> seen = new HashSet<>();
    for (NodeStats stats : nodes.get()) {
      seen.add(stats.nodeId());
      Series s = series.get(stats.nodeId());
      if (s != null) {
        s.stats = stats;
      } else if (series.size() < MAX_NODES) {
        series.put(stats.nodeId(), new Series(registry, stats));
      }
    }
    series
        .entrySet()
        .removeIf(e -> {
          if (seen.contains(e.getKey())) {
            return false;
          }
          e.getValue().meters.forEach(registry::remove);
          return true;
        });
  }
}
