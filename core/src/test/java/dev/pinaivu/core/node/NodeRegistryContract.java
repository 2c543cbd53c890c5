package dev.pinaivu.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.NodeRegistry.Reservation;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeRegistry} does: who holds a node, offers that only move forward, slots that
 * never exceed the capacity asked for (also under racing writers), leases that free a dead holder's
 * slots, and a node's own count that only ever makes it busier. Subclasses give a new, empty
 * registry per test.
 */
public abstract class NodeRegistryContract {
  protected static final long T0 = 1_800_000_000_000L;
  private static final NodeKey KEY = NodeKey.generate();
  private static final NodeId NODE = KEY.id();
  private static final long LEASE = T0 + NodeRegistry.SLOT_LEASE_MS;

  protected abstract NodeRegistry newRegistry();

  private static NodeEntry entry(String connection, long connectedAtMs, int capacity, long issued) {
    NodeOffer offer =
        new NodeOffer(
            NODE,
            issued,
            capacity,
            List.of(new ModelOffer("llama-3-8b", new TokenPrice(100_000, 200_000), 8192)));
    return new NodeEntry(
        NODE,
        connection,
        KEY.publicKey(),
        Set.of(ApiKind.CHAT, ApiKind.RESPONSES),
        SignedOffer.sign(offer, KEY),
        offer,
        connectedAtMs);
  }

  private static NodeEntry entry(String connection, int capacity) {
    return entry(connection, T0, capacity, T0);
  }

  private static RegisteredNode found(NodeRegistry registry, long nowMs) {
    return registry.find(NODE, nowMs).orElseThrow();
  }

  @Test
  void aJoinedNode_isFoundAsItJoined_withNoSlotsAndNoHistory() {
    NodeRegistry registry = newRegistry();
    NodeEntry entry = entry("conn-1", 4);

    assertThat(registry.join(entry, T0 + 5)).isTrue();

    RegisteredNode node = found(registry, T0 + 5);
    assertThat(node.entry()).isEqualTo(entry);
    assertThat(node.entry().signed().sha256()).isEqualTo(entry.signed().sha256());
    assertThat(node.entry().apis()).containsExactlyInAnyOrder(ApiKind.CHAT, ApiKind.RESPONSES);
    assertThat(node.lastSeenMs()).isEqualTo(T0 + 5);
    assertThat(node.busy()).isZero();
    assertThat(node.latencyMs()).isNaN();
    assertThat(node.successes()).isZero();
    assertThat(registry.all(T0 + 5)).extracting(RegisteredNode::nodeId).containsExactly(NODE);
    assertThat(registry.find(KEY_OTHER_ID, T0 + 5)).isEmpty();
  }

  private static final NodeId KEY_OTHER_ID = NodeKey.generate().id();

  @Test
  void aNewerConnection_replacesTheOlder_andTheOlderChangesNothingAfter() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("old", T0, 2, T0), T0);
    assertThat(registry.reserve(NODE, "old", "req_old", 2, LEASE, T0))
        .isEqualTo(Reservation.RESERVED);

    assertThat(registry.join(entry("new", T0 + 10, 2, T0), T0 + 10)).isTrue();

    assertThat(found(registry, T0 + 10).slots()).isZero(); // the old connection's jobs went with it
    assertThat(registry.reserve(NODE, "old", "req_2", 2, LEASE, T0 + 11))
        .isEqualTo(Reservation.NOT_HELD);
    registry.heartbeat(NODE, "old", 2, T0 + 12);
    assertThat(registry.offer(entry("old", T0, 2, T0 + 100), T0 + 12)).isFalse();
    registry.leave(NODE, "old");
    RegisteredNode node = found(registry, T0 + 13);
    assertThat(node.entry().connection()).isEqualTo("new");
    assertThat(node.busy()).isZero();
    assertThat(node.lastSeenMs()).isEqualTo(T0 + 10);
    // an older connection that joins late does not take the node back
    assertThat(registry.join(entry("older", T0 - 1, 2, T0), T0 + 14)).isFalse();
    assertThat(found(registry, T0 + 14).entry().connection()).isEqualTo("new");
  }

  @Test
  void anOffer_replacesTheHeldOne_onlyWhenNewer() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", T0, 2, T0), T0);

    assertThat(registry.offer(entry("conn-1", T0, 8, T0 + 50), T0 + 60)).isTrue();
    assertThat(registry.offer(entry("conn-1", T0, 1, T0 + 50), T0 + 61)).isFalse(); // same age
    assertThat(registry.offer(entry("conn-1", T0, 1, T0 + 10), T0 + 62)).isFalse(); // older

    RegisteredNode node = found(registry, T0 + 62);
    assertThat(node.entry().offer().capacity()).isEqualTo(8);
    assertThat(node.entry().offer().issuedAtMs()).isEqualTo(T0 + 50);
    assertThat(node.lastSeenMs()).isEqualTo(T0 + 60);
    assertThat(registry.offer(entry("conn-2", T0, 8, T0 + 70), T0 + 70)).isFalse();
  }

  @Test
  void slots_stopAtTheCapacityAsked_andAReleaseFreesOne() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 8), T0);

    assertThat(registry.reserve(NODE, "conn-1", "req_1", 2, LEASE, T0))
        .isEqualTo(Reservation.RESERVED);
    assertThat(registry.reserve(NODE, "conn-1", "req_2", 2, LEASE, T0))
        .isEqualTo(Reservation.RESERVED);
    assertThat(registry.reserve(NODE, "conn-1", "req_3", 2, LEASE, T0))
        .isEqualTo(Reservation.AT_CAPACITY);
    // the same job again is the slot it holds, not a second one
    assertThat(registry.reserve(NODE, "conn-1", "req_2", 2, LEASE, T0))
        .isEqualTo(Reservation.RESERVED);
    assertThat(found(registry, T0).slots()).isEqualTo(2);

    registry.release(NODE, "req_1");
    registry.release(NODE, "req_1"); // twice: still one slot freed
    assertThat(found(registry, T0).slots()).isEqualTo(1);
    assertThat(registry.reserve(NODE, "conn-1", "req_3", 2, LEASE, T0))
        .isEqualTo(Reservation.RESERVED);
    assertThat(registry.reserve(NODE, "conn-2", "req_4", 9, LEASE, T0))
        .isEqualTo(Reservation.NOT_HELD);
    assertThat(registry.reserve(KEY_OTHER_ID, "conn-1", "req_5", 9, LEASE, T0))
        .isEqualTo(Reservation.NOT_HELD);
  }

  @Test
  void aSlotWhoseHolderStoppedRenewing_isFreeWhenItsLeaseEnds() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 1), T0);
    registry.reserve(NODE, "conn-1", "req_dead", 1, T0 + 1_000, T0);
    registry.reserve(NODE, "conn-1", "req_alive", 2, T0 + 1_000, T0);
    registry.renew(NODE, "req_alive", T0 + 5_000);
    registry.renew(NODE, "req_never", T0 + 5_000); // renews nothing, takes no slot

    assertThat(registry.reserve(NODE, "conn-1", "req_3", 2, LEASE, T0 + 999))
        .isEqualTo(Reservation.AT_CAPACITY);
    assertThat(found(registry, T0 + 1_000).slots()).isEqualTo(1);
    assertThat(registry.reserve(NODE, "conn-1", "req_3", 2, LEASE, T0 + 1_000))
        .isEqualTo(Reservation.RESERVED);
    assertThat(found(registry, T0 + 5_000).slots()).isEqualTo(1); // req_alive lapsed; req_3 holds
    registry.release(NODE, "req_dead"); // after its lease: changes nothing
    assertThat(found(registry, T0 + 5_000).slots()).isEqualTo(1);
    // the lapsed slots no longer count as jobs it runs: a second slot is free at capacity 2
    assertThat(registry.reserve(NODE, "conn-1", "req_4", 2, LEASE, T0 + 5_000))
        .isEqualTo(Reservation.RESERVED);
  }

  @Test
  void aNodesOwnCount_onlyEverMakesItBusier() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 4), T0);
    registry.reserve(NODE, "conn-1", "req_1", 4, LEASE, T0);
    registry.reserve(NODE, "conn-1", "req_2", 4, LEASE, T0);

    registry.heartbeat(NODE, "conn-1", 0, T0 + 100); // under-reports: its slots stay taken
    assertThat(found(registry, T0 + 100).busy()).isEqualTo(2);
    assertThat(found(registry, T0 + 100).lastSeenMs()).isEqualTo(T0 + 100);

    registry.heartbeat(NODE, "conn-1", 3, T0 + 200); // runs one the registry does not know of
    assertThat(found(registry, T0 + 200).busy()).isEqualTo(3);
    assertThat(registry.reserve(NODE, "conn-1", "req_3", 4, LEASE, T0 + 200))
        .isEqualTo(Reservation.RESERVED);
    assertThat(registry.reserve(NODE, "conn-1", "req_4", 4, LEASE, T0 + 200))
        .isEqualTo(Reservation.AT_CAPACITY); // 3 slots, but it ran 3 before req_3

    registry.release(NODE, "req_1"); // one it counted has ended
    assertThat(found(registry, T0 + 200).reportedJobs()).isEqualTo(3);
    registry.heartbeat(NODE, "conn-1", -5, T0 + 300);
    assertThat(found(registry, T0 + 300).reportedJobs()).isZero();
    registry.heartbeat(NODE, "conn-1", 1_000_000, T0 + 400);
    assertThat(found(registry, T0 + 400).reportedJobs()).isEqualTo(4); // no more than its offer
    registry.heartbeat(NODE, "conn-2", 0, T0 + 500); // not its connection
    assertThat(found(registry, T0 + 500).lastSeenMs()).isEqualTo(T0 + 400);
  }

  @Test
  void latencyAndFailures_followWhatItsJobsDid() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 4), T0);

    registry.succeeded(NODE, 100);
    registry.succeeded(NODE, 200);
    registry.failed(NODE);
    registry.failed(NODE);

    RegisteredNode node = found(registry, T0);
    assertThat(node.latencyMs()).isEqualTo(0.2 * 200 + 0.8 * 100);
    assertThat(node.recentFailures()).isEqualTo(2);
    assertThat(node.successes()).isEqualTo(2);
    assertThat(node.failures()).isEqualTo(2);
    registry.succeeded(NODE, 120);
    assertThat(found(registry, T0).recentFailures()).isZero();
    registry.succeeded(KEY_OTHER_ID, 5); // a node not in the registry: nothing
    assertThat(registry.find(KEY_OTHER_ID, T0)).isEmpty();
  }

  @Test
  void aNodeLeaves_onlyWithTheConnectionThatHoldsIt() {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 4), T0);

    registry.leave(NODE, "conn-2");
    assertThat(registry.find(NODE, T0)).isPresent();
    registry.leave(NODE, "conn-1");
    assertThat(registry.find(NODE, T0)).isEmpty();
    assertThat(registry.all(T0)).isEmpty();
    assertThat(registry.reserve(NODE, "conn-1", "req_1", 4, LEASE, T0))
        .isEqualTo(Reservation.NOT_HELD);
  }

  @Test
  void writersRacingForTheLastSlots_takeNoMoreThanTheCapacity() throws Exception {
    NodeRegistry registry = newRegistry();
    registry.join(entry("conn-1", 16), T0);
    int capacity = 5;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Reservation>> racers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String job = "req_" + i;
        racers.add(() -> registry.reserve(NODE, "conn-1", job, capacity, LEASE, T0));
      }
      long reserved = 0;
      for (Future<Reservation> f : pool.invokeAll(racers)) {
        reserved += f.get() == Reservation.RESERVED ? 1 : 0;
      }
      assertThat(reserved).isEqualTo(capacity);
      assertThat(found(registry, T0).slots()).isEqualTo(capacity);
    } finally {
      pool.shutdownNow();
    }
  }
}
