package dev.pinaivu.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.core.reputation.Standing.Phase;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router router = new Router();

  private static NodeCandidate node(
      long price, int active, int capacity, double latency, int failures) {
    return new NodeCandidate(
        NodeKey.generate().id(),
        new ModelOffer("m", price, price, null),
        null,
        new byte[32],
        active,
        capacity,
        latency,
        failures);
  }

  @RepeatedTest(20)
  void rank_prefersTheCheaperOfOtherwiseEqualNodes() {
    NodeCandidate cheap = node(100_000, 0, 4, 50, 0);
    NodeCandidate dear = node(200_000, 0, 4, 50, 0);

    assertThat(router.rank(List.of(dear, cheap))).containsExactly(cheap, dear);
  }

  @RepeatedTest(20)
  void rank_prefersTheFasterOfEqualPrice() {
    NodeCandidate fast = node(100_000, 0, 4, 40, 0);
    NodeCandidate slow = node(100_000, 0, 4, 400, 0);

    assertThat(router.rank(List.of(slow, fast))).containsExactly(fast, slow);
  }

  @RepeatedTest(20)
  void rank_putsFullNodesLastAndBacksOffFailingOnes() {
    NodeCandidate full = node(1, 4, 4, 10, 0);
    NodeCandidate failing = node(100_000, 0, 4, 50, 3);
    NodeCandidate healthy = node(100_000, 0, 4, 50, 0);

    assertThat(router.rank(List.of(full, failing, healthy)))
        .containsExactly(healthy, failing, full);
  }

  @Test
  void rank_spreadsLoadBetweenIdenticalNodes() {
    NodeCandidate a = node(100_000, 0, 4, 50, 0);
    NodeCandidate b = node(100_000, 0, 4, 50, 0);
    int aFirst = 0;
    for (int i = 0; i < 1000; i++) {
      if (router.rank(List.of(a, b)).get(0) == a) {
        aFirst++;
      }
    }
    assertThat(aFirst).isBetween(300, 700);
  }

  @RepeatedTest(20)
  void rank_givesUnmeasuredNodesTheBenefitOfTheDoubt() {
    NodeCandidate fast = node(100_000, 0, 4, 20, 0);
    NodeCandidate slow = node(100_000, 0, 4, 400, 0);
    NodeCandidate fresh = node(100_000, 0, 4, Double.NaN, 0);

    assertThat(router.rank(List.of(slow, fresh, fast)).get(2)).isEqualTo(slow);
  }

  private static NodeCandidate node(long price, Phase phase, double reputation) {
    return new NodeCandidate(
        NodeKey.generate().id(),
        new ModelOffer("m", price, price, null),
        null,
        new byte[32],
        0,
        4,
        50,
        0,
        new Standing(phase, reputation, reputation, reputation, 4, 0, 0, 0, 0, 0));
  }

  @RepeatedTest(20)
  void rank_prefersTheBetterReputationOfOtherwiseEqualNodes() {
    NodeCandidate trusted = node(100_000, Phase.ESTABLISHED, 0.9);
    NodeCandidate doubtful = node(100_000, Phase.ESTABLISHED, 0.3);

    assertThat(router.rank(List.of(doubtful, trusted))).containsExactly(trusted, doubtful);
  }

  @RepeatedTest(20)
  void rank_weighsReputationAgainstPrice() {
    // 3x the reputation outweighs a 2x price; a 4x price outweighs it
    NodeCandidate trusted = node(200_000, Phase.ESTABLISHED, 0.9);
    NodeCandidate doubtful = node(100_000, Phase.ESTABLISHED, 0.3);
    NodeCandidate dear = node(400_000, Phase.ESTABLISHED, 0.9);

    assertThat(router.rank(List.of(doubtful, trusted)).get(0)).isEqualTo(trusted);
    assertThat(router.rank(List.of(doubtful, dear)).get(0)).isEqualTo(doubtful);
  }

  @Test
  void rank_givesNodesOnProbationTheStatedShareOfFirstAttempts() {
    Router seeded = new Router(0.1, new SplittableRandom(7));
    NodeCandidate established = node(100_000, Phase.ESTABLISHED, 0.6);
    List<NodeCandidate> cheapNewcomers =
        List.of(node(1, Phase.PROBATION, 0.5), node(1, Phase.PROBATION, 0.5));
    int probationFirst = 0;
    for (int i = 0; i < 10_000; i++) {
      List<NodeCandidate> ranked =
          seeded.rank(List.of(cheapNewcomers.get(0), established, cheapNewcomers.get(1)));
      if (ranked.get(0) != established) {
        probationFirst++;
        assertThat(ranked.get(1)).isEqualTo(established); // the fallback is established
      }
    }

    assertThat(probationFirst).isBetween(900, 1100);
  }

  @Test
  void rank_withNoEstablishedNode_ranksProbationNodesByScore() {
    NodeCandidate cheap = node(1_000, Phase.PROBATION, 0.5);
    NodeCandidate dear = node(100_000, Phase.PROBATION, 0.5);

    assertThat(router.rank(List.of(dear, cheap))).containsExactly(cheap, dear);
  }
}
