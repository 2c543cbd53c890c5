package dev.pinaivu.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.coordinator.MutableClock;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.InMemoryNodeRegistry;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.InMemoryConductRecords;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.reputation.Standing;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub keeps its nodes in the {@link NodeRegistry} it is given: what a node's connection writes
 * there, slots that outlive many leases while their holder runs and free themselves when it died, a
 * node's heartbeat count, which can make it look busier and never less busy, and a quarantine that
 * follows a node to the next process it connects to. Two hubs on one registry and one set of
 * conduct records stand for two gateway processes.
 */
class NodeHubRegistryTest {
  private static final long HEARTBEAT_MS = 1_000;
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final NodeRegistry registry = new InMemoryNodeRegistry();
  private final ConductRecords conduct = new InMemoryConductRecords();
  private final NodeHub hub = hub();
  private final NodeHub otherProcess = hub();
  private final NodeKey key = NodeKey.generate();

  private NodeHub hub() {
    return new NodeHub(
        clock,
        HEARTBEAT_MS,
        () -> CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire(),
        NodePolicy.DEFAULTS,
        registry,
        conduct);
  }

  @AfterEach
  void close() {
    hub.close();
    otherProcess.close();
  }

  /**
   * {@link #key}'s node, authenticated on {@code on} and offering model m with {@code capacity}.
   */
  private NodeSession join(NodeHub on, int capacity) {
    NodeSessionTest.FakeOutbound out = new NodeSessionTest.FakeOutbound();
    NodeSession session = on.open(out);
    String nonce = ((Frame.Hello) out.first()).nonce();
    send(
        on,
        session,
        new Frame.Auth(
            1,
            key.id(),
            B64.encode(key.publicKey()),
            B64.encode(key.signChallenge(nonce)),
            "test"));
    NodeOffer offer =
        new NodeOffer(key.id(), clock.millis(), capacity, List.of(new ModelOffer("m", 1, 2, 100)));
    send(
        on,
        session,
        new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
    return session;
  }

  private static void send(NodeHub on, NodeSession session, Frame frame) {
    on.onText(session, FrameCodec.encode(frame));
  }

  private Job job() {
    return new Job(RequestId.next(), "m", true, "{}", clock.millis() + 3_600_000, null);
  }

  private RegisteredNode registered() {
    return registry.find(key.id(), clock.millis()).orElseThrow();
  }

  @Test
  void aLiveNode_isInTheRegistryOnItsConnection_untilItCloses() {
    NodeSession session = join(hub, 2);

    RegisteredNode node = registered();
    assertThat(node.entry().connection()).isEqualTo(session.connection()).startsWith("gw-");
    assertThat(node.entry().offer().capacity()).isEqualTo(2);
    assertThat(node.entry().publicKey()).isEqualTo(key.publicKey());

    hub.onClose(session, "closed (1000)");
    assertThat(registry.find(key.id(), clock.millis())).isEmpty();
  }

  @Test
  void aNodeHeldByAnotherProcess_isInTheRegistry_butNoCandidateHere() {
    join(otherProcess, 2);

    assertThat(registry.all(clock.millis())).hasSize(1);
    assertThat(otherProcess.candidates("m")).hasSize(1);
    assertThat(hub.candidates("m")).as("this process cannot reach its connection").isEmpty();
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class);
  }

  @Test
  void aNewerConnectionOnAnotherProcess_takesTheNode_andTheOlderCanNoLongerSendItJobs() {
    NodeSession older = join(hub, 2);
    clock.advance(1);
    join(otherProcess, 2);

    assertThat(registered().entry().connection()).isNotEqualTo(older.connection());
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class)
        .hasMessageContaining("not live");
  }

  @Test
  void aLongJobsSlot_isHeldThroughManyLeases_thoughTheNodeSaysItRunsNothing() throws Exception {
    NodeSession session = join(hub, 1);
    JobStream running = hub.dispatch(key.id(), job());

    for (long waited = 0; waited < 5 * NodeRegistry.SLOT_LEASE_MS; ) {
      clock.advance(HEARTBEAT_MS);
      waited += HEARTBEAT_MS;
      send(hub, session, new Frame.Heartbeat(0, clock.millis())); // a lie, or a late count
      hub.sweep();
    }

    assertThat(registered().slots()).isEqualTo(1);
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class)
        .hasMessageContaining("at capacity");
    running.close();
    assertThat(registered().busy()).isZero();
    hub.dispatch(key.id(), job()).close();
  }

  @Test
  void aSlotTakenByAProcessThatDied_isFreeWhenItsLeaseEnds() throws Exception {
    NodeSession session = join(hub, 1);
    long now = clock.millis();
    registry.reserve( // another process took the slot, then died without releasing it
        key.id(), session.connection(), "req_dead", 1, now + NodeRegistry.SLOT_LEASE_MS, now);
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class);

    for (long waited = 0; waited < NodeRegistry.SLOT_LEASE_MS; waited += HEARTBEAT_MS) {
      clock.advance(HEARTBEAT_MS);
      send(hub, session, new Frame.Heartbeat(0, clock.millis()));
      hub.sweep();
    }

    hub.dispatch(key.id(), job()).close();
  }

  @Test
  void aNodeThatSaysItIsBusy_isSentNothingMore_untilItSaysOtherwise() throws Exception {
    NodeSession session = join(hub, 2);
    send(hub, session, new Frame.Heartbeat(2, clock.millis()));

    assertThat(hub.candidates("m").getFirst().activeJobs()).isEqualTo(2);
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class);

    send(hub, session, new Frame.Heartbeat(0, clock.millis()));
    hub.dispatch(key.id(), job()).close();
  }

  @Test
  void aNodeQuarantinedOnOneProcess_isQuarantinedOnTheNextItConnectsTo() {
    NodeSession first = join(hub, 2);
    hub.recordFailure(key.id()); // a failure on probation: quarantined
    assertThat(hub.candidates("m")).isEmpty();
    hub.onClose(first, "closed (1000)");

    clock.advance(1);
    join(otherProcess, 2); // it tries its luck on another gateway

    assertThat(otherProcess.candidates("m")).as("its quarantine came with it").isEmpty();
    assertThat(otherProcess.liveOffers()).isEmpty();
    assertThat(otherProcess.nodeStats())
        .singleElement()
        .satisfies(n -> assertThat(n.standing().phase()).isEqualTo(Standing.Phase.QUARANTINED));
  }
}
