package dev.pinaivu.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.node.InMemoryNodeRegistry;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.TestNodes;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.InMemoryConductRecords;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A process without node connections routes from the shared registry: live means heard from within
 * three heartbeats, a quarantine recorded anywhere keeps a node out, and what it learns is shared.
 */
class RegistryDirectoryTest {
  private static final long SILENCE = 15_000;
  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final NodeRegistry registry = new InMemoryNodeRegistry();
  private final InMemoryConductRecords conduct = new InMemoryConductRecords();
  private final RegistryDirectory directory =
      new RegistryDirectory(registry, conduct, ConductRules.DEFAULTS, SILENCE, clock);

  private NodeKey join(String model) {
    NodeKey key = NodeKey.generate();
    registry.join(TestNodes.entry(key, "gw-a/1", model, now.get()), now.get());
    return key;
  }

  @Test
  void aNodeHeardFromWithinThreeHeartbeats_isACandidate_andListed() {
    NodeKey node = join("llama");
    registry.reserve(node.id(), "gw-a/1", "req_1", 4, now.get() + 60_000, now.get());

    List<NodeCandidate> candidates = directory.candidates("llama");
    assertThat(candidates)
        .singleElement()
        .satisfies(c -> {
          assertThat(c.nodeId()).isEqualTo(node.id());
          assertThat(c.activeJobs()).isEqualTo(1);
          assertThat(c.signedOffer().verify(node.publicKey()).valid()).isTrue();
          assertThat(c.standing().onProbation()).isTrue();
        });
    assertThat(directory.liveOffers()).extracting(o -> o.offer().id()).containsExactly("llama");
    assertThat(directory.candidates("mistral")).isEmpty();
  }

  @Test
  void aSilentNode_isNeitherACandidateNorListed_butItsModelIsKnown() {
    join("llama");
    now.addAndGet(SILENCE + 1);

    assertThat(directory.candidates("llama")).isEmpty();
    assertThat(directory.liveOffers()).isEmpty();
    assertThat(directory.offeredRecently("llama")).as("a 503 to retry, not a 404").isTrue();
    assertThat(directory.offeredRecently("typo")).isFalse();
  }

  @Test
  void aNodeThatFailedOnProbation_isQuarantinedForEveryProcessThatReadsTheRecords() {
    NodeKey node = join("llama");
    directory.recordFailure(node.id());

    RegistryDirectory another =
        new RegistryDirectory(registry, conduct, ConductRules.DEFAULTS, SILENCE, clock);
    assertThat(another.candidates("llama")).isEmpty();
    assertThat(another.liveOffers()).isEmpty();
    assertThat(registry.find(node.id(), now.get()).orElseThrow().failures()).isEqualTo(1);
  }

  @Test
  void aSuccess_isSharedToo() {
    NodeKey node = join("llama");
    directory.recordSuccess(node.id(), 120);

    assertThat(registry.find(node.id(), now.get()).orElseThrow().latencyMs()).isEqualTo(120);
    assertThat(conduct.find(node.id()).orElseThrow().successes()).isEqualTo(1);
  }
}
