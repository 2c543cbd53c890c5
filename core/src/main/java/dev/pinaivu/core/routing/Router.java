package dev.pinaivu.core.routing;

import dev.pinaivu.core.reputation.ConductRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Orders candidate nodes, best first: the head gets the job, the rest are the fallback list. The
 * score multiplies four ratios, each 1.0 for the best candidate: price (blended price over the
 * cheapest), latency (moving average of time to first token over the fastest, unmeasured nodes
 * counted as the fastest so they get tried), load (1 + active/capacity) and reputation (the best
 * candidate's over the node's). Each failure since the node's last success doubles its score. A
 * small random jitter spreads load between equal nodes.
 *
 * <p>Nodes without a free slot go last. Nodes on probation come after every established node with a
 * free slot, except that one request in {@code probationShare} puts one of them, drawn at random,
 * first; with no established node free, all are ranked by score alike. See docs/adr/0004-routing.md
 * and docs/adr/0022-node-reputation.md.
 */
public final class Router {
  private static final double LATENCY_FLOOR_MS = 20;
  private static final double REPUTATION_FLOOR = 0.01;
  private static final double JITTER = 0.05;

  private final double probationShare;
  private final RandomGenerator random; // null: the calling thread's

  public Router() {
    this(ConductRules.DEFAULTS.probationShare(), null);
  }

  /**
   * @param random the draws of jitter and probation, for tests; null for the calling thread's
   */
  public Router(double probationShare, RandomGenerator random) {
    this.probationShare = probationShare;
    this.random = random;
  }

  public List<NodeCandidate> rank(List<NodeCandidate> candidates) {
    if (candidates.size() <= 1) {
      return List.copyOf(candidates);
    }
    RandomGenerator draw = random != null ? random : ThreadLocalRandom.current();
    List<Scored> scored = score(candidates, draw);
    scored.sort(
        Comparator.comparing((Scored s) -> !s.candidate().hasFreeSlot())
            .thenComparingDouble(Scored::score));
    return probationLast(scored.stream().map(Scored::candidate).toList(), draw);
  }

  private static List<Scored> score(List<NodeCandidate> candidates, RandomGenerator draw) {
    long cheapest = Long.MAX_VALUE;
    double fastest = Double.MAX_VALUE;
    double bestReputation = REPUTATION_FLOOR;
    for (NodeCandidate c : candidates) {
      cheapest = Math.min(cheapest, c.offer().price().blendedMicrosPerMillion());
      if (!Double.isNaN(c.latencyMs())) {
        fastest = Math.min(fastest, c.latencyMs());
      }
      bestReputation = Math.max(bestReputation, c.standing().reputation());
    }
    double priceBase = Math.max(cheapest, 1);
    double latencyBase =
        fastest == Double.MAX_VALUE ? LATENCY_FLOOR_MS : fastest + LATENCY_FLOOR_MS;
    List<Scored> scored = new ArrayList<>(candidates.size());
    for (NodeCandidate c : candidates) {
      double price = Math.max(c.offer().price().blendedMicrosPerMillion(), 1) / priceBase;
      double latency =
          Double.isNaN(c.latencyMs()) ? 1.0 : (c.latencyMs() + LATENCY_FLOOR_MS) / latencyBase;
      double load = 1.0 + (double) c.activeJobs() / Math.max(c.capacity(), 1);
      double reputation = bestReputation / Math.max(c.standing().reputation(), REPUTATION_FLOOR);
      double penalty = Math.pow(2, Math.min(c.recentFailures(), 10));
      double jitter = 1.0 + draw.nextDouble(JITTER);
      scored.add(new Scored(c, price * latency * load * reputation * penalty * jitter));
    }
    return scored;
  }

  /** Established nodes with a free slot first, but for the probation share; then the rest. */
  private List<NodeCandidate> probationLast(List<NodeCandidate> ranked, RandomGenerator draw) {
    List<NodeCandidate> established = new ArrayList<>();
    List<NodeCandidate> probation = new ArrayList<>();
    List<NodeCandidate> full = new ArrayList<>();
    for (NodeCandidate c : ranked) {
      if (!c.hasFreeSlot()) {
        full.add(c);
      } else if (c.standing().onProbation()) {
        probation.add(c);
      } else {
        established.add(c);
      }
    }
    if (established.isEmpty() || probation.isEmpty()) {
      return ranked;
    }
    List<NodeCandidate> out = new ArrayList<>(ranked.size());
    if (draw.nextDouble() < probationShare) {
      out.add(probation.remove(draw.nextInt(probation.size())));
    }
    out.addAll(established);
    out.addAll(probation);
    out.addAll(full);
    return out;
  }

  private record Scored(NodeCandidate candidate, double score) {}
}
