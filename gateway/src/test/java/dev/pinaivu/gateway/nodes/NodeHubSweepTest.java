package dev.pinaivu.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.coordinator.MutableClock;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which sessions the hub's sweep drops, and why, on a clock the test moves. */
class NodeHubSweepTest {
  private static final long HEARTBEAT_MS = 1_000;
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final NodeHub hub =
      new NodeHub(
          clock,
          HEARTBEAT_MS,
          () -> CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire());

  /** Answers the hub's hello on {@code session} as the node {@code key}. */
  private void authenticate(NodeSession session, NodeSessionTest.FakeOutbound out, NodeKey key) {
    String nonce = ((Frame.Hello) out.first()).nonce();
    hub.onText(
        session,
        FrameCodec.encode(
            new Frame.Auth(
                1,
                key.id(),
                B64.encode(key.publicKey()),
                B64.encode(key.signChallenge(nonce)),
                "test")));
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void unauthenticatedConnection_isGivenTheWholeAuthTimeout_notThreeHeartbeats() {
    NodeSessionTest.FakeOutbound out = new NodeSessionTest.FakeOutbound();
    hub.open(out);

    clock.advance(NodeHub.MISSED_HEARTBEATS * HEARTBEAT_MS + 1);
    hub.sweep();
    assertThat(out.closeCode).as("closed after three heartbeat intervals").isNull();

    clock.advance(NodeHub.AUTH_TIMEOUT_MS);
    hub.sweep();
    assertThat(out.closeCode).isEqualTo(NodeHub.GOING_AWAY);
    assertThat(out.closeReason).isEqualTo("auth timeout");
  }

  @Test
  void authenticatedNode_thatFallsSilent_isDroppedForMissedHeartbeats() {
    NodeSessionTest.FakeOutbound out = new NodeSessionTest.FakeOutbound();
    NodeSession session = hub.open(out);
    NodeKey key = NodeKey.generate();
    authenticate(session, out, key);
    out.last(Frame.Welcome.class);

    clock.advance(NodeHub.MISSED_HEARTBEATS * HEARTBEAT_MS + 1);
    hub.sweep();

    assertThat(out.closeReason).isEqualTo("missed heartbeats");
  }

  @Test
  void aModelIsKnown_whileANodeOffersIt_andForADayAfter_andEveryModelIsWhileTheHubIsNew() {
    NodeSessionTest.FakeOutbound out = new NodeSessionTest.FakeOutbound();
    NodeSession session = hub.open(out);
    NodeKey key = NodeKey.generate();
    authenticate(session, out, key);
    NodeOffer offer = new NodeOffer(key.id(), 1, 2, List.of(new ModelOffer("llama", 1, 2, null)));
    hub.onText(
        session,
        FrameCodec.encode(
            new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer)))));

    assertThat(hub.offeredRecently("typo")).as("a new hub cannot tell yet").isTrue();
    clock.advance(NodeHub.MIN_MODEL_GRACE_MS);
    assertThat(hub.offeredRecently("typo")).isFalse();
    assertThat(hub.offeredRecently("llama")).isTrue();

    hub.onClose(session, "closed (1000)");
    clock.advance(
        NodeHub.MODEL_MEMORY_MS - NodeHub.MIN_MODEL_GRACE_MS - 1); // a day after its offer
    assertThat(hub.offeredRecently("llama")).as("its node is away, not gone").isTrue();
    clock.advance(1);
    hub.sweep();
    assertThat(hub.offeredRecently("llama")).isFalse();
  }
}
