package dev.pinaivu.core.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Orders candidate nodes, best first: the head gets the job, the rest are the fallback list. The
 * score multiplies three ratios, each 1.0 for the best candidate: price (blended price over the
 * cheapest), latency (moving average of time to first token over the fastest, unmeasured nodes
 * counted as the fastest so they get tried), and load (1 + active/capacity). Each failure since the
 * node's last success doubles its score. Nodes without a free slot go last. A small random jitter
 * spreads load between equal nodes. See docs/adr/0004-routing.md.
 */
public final class Router {
  private static final double LATENCY_FLOOR_MS = 20;
  private static final double JITTER = 0.05;

  public List<NodeCandidate> rank(List<NodeCandidate> candidates) {
    if (candidates.size() <= 1) {
      return List.copyOf(candidates);
    }
    long cheapest = Long.MAX_VALUE;
    double fastest = Double.MAX_VALUE;
    for (NodeCandidate c : candidates) {
      cheapest = Math.min(cheapest, c.offer().price().blendedMicrosPerMillion());
      if (!Double.isNaN(c.latencyMs())) {
        fastest = Math.min(fastest, c.latencyMs());
      }
    }
    double priceBase = Math.max(cheapest, 1);
    double latencyBase =
        fastest == Double.MAX_VALUE ? LATENCY_FLOOR_MS : fastest + LATENCY_FLOOR_MS;
    List<Scored> scored = new ArrayList<>(candidates.size());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (NodeCandidate c : candidates) {
      double price = Math.max(c.offer().price().blendedMicrosPerMillion(), 1) / priceBase;
      double latency =
          Double.isNaN(c.latencyMs()) ? 1.0 : (c.latencyMs() + LATENCY_FLOOR_MS) / latencyBase;
      double load = 1.0 + (double) c.activeJobs() / Math.max(c.capacity(), 1);
      double penalty = Math.pow(2, Math.min(c.recentFailures(), 10));
      double jitter = 1.0 + random.nextDouble(JITTER);
      scored.add(new Scored(c, price * latency * load * penalty * jitter));
    }
    scored.sort(
        Comparator.comparing((Scored s) -> !s.candidate().hasFreeSlot())
            .thenComparingDouble(Scored::score));
    return scored.stream().map(Scored::candidate).toList();
  }

  private record Scored(NodeCandidate candidate, double score) {}
}
