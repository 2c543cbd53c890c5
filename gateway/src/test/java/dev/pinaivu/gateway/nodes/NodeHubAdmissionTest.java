package dev.pinaivu.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.NodeAdmission.Mode;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.reputation.Standing.Phase;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who the hub lets in, and what it makes of what they did, frame by frame without a network. */
class NodeHubAdmissionTest {
  private NodeHub hub = hub(new NodeAdmission(Mode.OPEN, Set.of(), 0.4, 3, 2));

  private static NodeHub hub(NodeAdmission admission) {
    return new NodeHub(
        Clock.systemUTC(),
        60_000,
        () -> CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire(),
        new NodePolicy(admission, ConductRules.DEFAULTS));
  }

  /** A connection from {@code address}; records what it was sent and how it was closed. */
  private static final class Peer implements Outbound {
    final String address;
    final List<Frame> sent = new CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;
    NodeSession session;

    Peer(String address) {
      this.address = address;
    }

    @Override
    public void send(String text) {
      try {
        sent.addAll(FrameCodec.decodeMessage(text));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void close(int code, String reason) {
      closeCode = code;
      closeReason = reason;
    }

    @Override
    public String address() {
      return address;
    }

    String nonce() {
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (sent.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return ((Frame.Hello) sent.get(0)).nonce();
    }
  }

  /** A node agent that joins with {@code key} from {@code address} (operator: null for none). */
  private Peer join(NodeKey key, String address, String operator, int capacity) {
    Peer peer = new Peer(address);
    NodeSession session = hub.open(peer);
    peer.session = session;
    hub.onText(
        session,
        FrameCodec.encode(
            new Frame.Auth(
                1,
                key.id(),
                B64.encode(key.publicKey()),
                B64.encode(key.signChallenge(peer.nonce())),
                "test")));
    if (peer.closeCode != null) {
      return peer;
    }
    NodeOffer offer = new NodeOffer(key.id(), 1, capacity, List.of(new ModelOffer("m", 1, 2, 100)));
    ObjectNode json = Json.MAPPER.valueToTree(offer);
    if (operator != null) {
      json.put("operator", operator);
    }
    byte[] signature = key.signOffer(json);
    hub.onText(session, FrameCodec.encode(new Frame.Offer(json, B64.encode(signature))));
    return peer;
  }

  private Peer join(NodeKey key, String address) {
    return join(key, address, null, 4);
  }

  private static Job job() {
    return new Job(RequestId.next(), "m", true, "{}", System.currentTimeMillis() + 60_000, null);
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void nodesBeyondThePerAddressLimit_areRefusedWithAReasonThatSaysSo() {
    for (int i = 0; i < 3; i++) {
      assertThat(join(NodeKey.generate(), "10.0.0.1").closeCode).isNull();
    }

    Peer fourth = join(NodeKey.generate(), "10.0.0.1");
    Peer elsewhere = join(NodeKey.generate(), "10.0.0.2");

    assertThat(fourth.closeCode).isEqualTo(1008);
    assertThat(fourth.closeReason)
        .isEqualTo("address_limit: 3 nodes from 10.0.0.1 are connected already");
    assertThat(fourth.sent)
        .last()
        .isEqualTo(new Frame.Error("address_limit", "3 nodes from 10.0.0.1 are connected already"));
    assertThat(elsewhere.closeCode).isNull();
    assertThat(hub.liveNodes()).isEqualTo(4);
    assertThat(hub.refusals("address_limit")).isEqualTo(1);
  }

  @Test
  void aNodeThatLeaves_givesItsAddressSeatBack() {
    Peer first = join(NodeKey.generate(), "10.0.0.1");
    join(NodeKey.generate(), "10.0.0.1");
    join(NodeKey.generate(), "10.0.0.1");

    hub.onClose(first.session, "closed (1000)");
    Peer again = join(NodeKey.generate(), "10.0.0.1");

    assertThat(again.closeCode).isNull();
  }

  @Test
  void aNodeReconnectingFromAFullAddress_replacesItsOwnOlderConnection() {
    NodeKey key = NodeKey.generate();
    Peer old = join(key, "10.0.0.1");
    join(NodeKey.generate(), "10.0.0.1");
    join(NodeKey.generate(), "10.0.0.1");

    Peer newer = join(key, "10.0.0.1");

    assertThat(newer.closeCode).isNull();
    assertThat(old.closeCode).isEqualTo(1001);
    assertThat(hub.liveNodes()).isEqualTo(3);
  }

  @Test
  void allowlist_refusesKeysNotOnIt() {
    hub.close();
    NodeKey listed = NodeKey.generate();
    hub = hub(new NodeAdmission(Mode.ALLOWLIST, Set.of(listed.id()), 0.4, 16, 64));

    Peer stranger = join(NodeKey.generate(), "10.0.0.1");
    Peer known = join(listed, "10.0.0.1");

    assertThat(stranger.closeReason).startsWith("not_allowlisted: node node_");
    assertThat(known.closeCode).isNull();
    assertThat(hub.refusals("not_allowlisted")).isEqualTo(1);
  }

  @Test
  void operatorsBeyondTheirLimit_areRefusedAtTheirFirstOffer() {
    assertThat(join(NodeKey.generate(), "10.0.0.1", "acme", 4).closeCode).isNull();
    assertThat(join(NodeKey.generate(), "10.0.0.2", "acme", 4).closeCode).isNull();

    Peer third = join(NodeKey.generate(), "10.0.0.3", "acme", 4);
    Peer other = join(NodeKey.generate(), "10.0.0.3", "globex", 4);

    assertThat(third.closeReason)
        .isEqualTo("operator_limit: 2 nodes of operator 'op:acme' are live already");
    assertThat(other.closeCode).isNull();
  }

  @Test
  void anOfferNamingAMalformedOperator_isRefused() {
    Peer peer = join(NodeKey.generate(), "10.0.0.1", "acme corp\n", 4);

    assertThat(peer.closeReason).isEqualTo("bad_offer");
  }

  @Test
  void aNewNodeClaimingTenThousandSlots_isTrustedWithTwo() throws Exception {
    NodeKey key = NodeKey.generate();
    join(key, "10.0.0.1", null, 10_000);

    assertThat(hub.candidates("m"))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.capacity()).isEqualTo(2);
          assertThat(c.standing().phase()).isEqualTo(Phase.PROBATION);
        });
    hub.dispatch(key.id(), job());
    hub.dispatch(key.id(), job());
    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class)
        .hasMessageContaining("capacity");
  }

  @Test
  void aFailedNodeOnProbation_isQuarantined_neitherRoutedNorListed() {
    NodeKey failing = NodeKey.generate();
    NodeKey honest = NodeKey.generate();
    join(failing, "10.0.0.1");
    join(honest, "10.0.0.2");

    hub.recordFailure(failing.id());

    assertThat(hub.candidates("m")).extracting(c -> c.nodeId()).containsExactly(honest.id());
    assertThat(hub.liveOffers()).extracting(o -> o.nodeId()).containsExactly(honest.id());
    assertThatThrownBy(() -> hub.dispatch(failing.id(), job())).hasMessageContaining("quarantined");
    assertThat(hub.nodesIn(Phase.QUARANTINED)).isEqualTo(1);
  }

  @Test
  void aQuarantine_outlivesTheConnection() {
    NodeKey failing = NodeKey.generate();
    Peer first = join(failing, "10.0.0.1");
    hub.recordFailure(failing.id());

    hub.onClose(first.session, "closed (1000)");
    join(failing, "10.0.0.1");

    assertThat(hub.candidates("m")).isEmpty();
  }

  @Test
  void aLinkThatDropsWithManyJobs_isOneFailure_butFailuresOnALiveLinkEachCount() {
    NodeKey node = NodeKey.generate();
    Peer first = join(node, "10.0.0.1");
    for (int i = 0; i < ConductRules.DEFAULTS.probationJobs(); i++) {
      hub.recordSuccess(node.id(), 20);
    }
    hub.onClose(first.session, "closed (1006)"); // kill -9 of the agent, four jobs running

    for (int i = 0; i < 4; i++) {
      hub.recordFailure(node.id()); // each job's relay reports its failure
    }
    Peer again = join(node, "10.0.0.1");

    assertThat(again.closeCode).isNull();
    assertThat(hub.candidates("m"))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.standing().phase()).isEqualTo(Phase.ESTABLISHED);
          assertThat(c.standing().failures()).isEqualTo(1);
        });
    for (int i = 0; i < ConductRules.DEFAULTS.failureStreak(); i++) {
      hub.recordFailure(node.id()); // the same node failing jobs on a live link
    }
    assertThat(hub.candidates("m")).isEmpty();
    assertThat(hub.nodesIn(Phase.QUARANTINED)).isEqualTo(1);
  }

  @Test
  void minReputation_refusesANodeThatFellBelowIt_whenItComesBack() {
    hub.close();
    hub = hub(new NodeAdmission(Mode.MIN_REPUTATION, Set.of(), 0.4, 16, 64));
    NodeKey failing = NodeKey.generate();
    Peer first = join(failing, "10.0.0.1");
    for (int i = 0; i < 5; i++) {
      hub.recordFailure(failing.id());
    }

    hub.sweep();
    Peer again = join(failing, "10.0.0.1");

    assertThat(first.closeReason).startsWith("low_reputation: reputation 0.25 fell below");
    assertThat(again.closeReason)
        .startsWith("low_reputation: reputation 0.25 is below the minimum 0.40");
    assertThat(join(NodeKey.generate(), "10.0.0.1").closeCode).isNull(); // a new node: 0.5
  }
}
