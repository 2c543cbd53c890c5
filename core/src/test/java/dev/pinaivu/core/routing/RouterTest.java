package dev.pinaivu.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import java.util.List;
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
}
