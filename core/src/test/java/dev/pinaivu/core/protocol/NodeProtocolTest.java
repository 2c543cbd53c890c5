package dev.pinaivu.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.NodeProtocol.Connection;
import dev.pinaivu.core.protocol.NodeProtocol.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node protocol's rules without a connection: each frame in each phase, and every way a node
 * can get its auth or offer wrong. What the gateway's session and, later, a WebSocket Lambda act
 * on.
 */
class NodeProtocolTest {
  private static final String NONCE = "bm9uY2Utb2YtdGhpcy1jb25uZWN0aW9u";
  private final NodeKey key = NodeKey.generate();
  private final NodeKey stranger = NodeKey.generate();

  private Connection opened() {
    return Connection.opened(NONCE);
  }

  private Connection authenticated(Phase phase, Long heldOfferIssuedAt) {
    return new Connection(phase, key.id(), NONCE, key.publicKey(), heldOfferIssuedAt);
  }

  private Frame.Auth auth(NodeKey signer, String nonce, List<String> apis) {
    return new Frame.Auth(
        Frame.PROTOCOL_VERSION,
        key.id(),
        B64.encode(key.publicKey()),
        B64.encode(signer.signChallenge(nonce)),
        "test-agent",
        apis);
  }

  private Frame.Offer offer(long issuedAt, NodeKey signer, String operator) {
    NodeOffer offer = new NodeOffer(key.id(), issuedAt, 2, List.of(new ModelOffer("m", 1, 2, 100)));
    ObjectNode tree = Json.MAPPER.valueToTree(offer);
    if (operator != null) {
      tree.put("operator", operator);
    }
    return new Frame.Offer(tree, B64.encode(signer.signOffer(tree)));
  }

  private static String violation(NodeProtocol.Step step) {
    assertThat(step).isInstanceOf(NodeProtocol.Violation.class);
    return ((NodeProtocol.Violation) step).code();
  }

  @Test
  void anAuthThatSignsTheChallenge_authenticatesTheNode_withTheApisItNames() {
    NodeProtocol.Step step =
        NodeProtocol.next(opened(), auth(key, NONCE, List.of("chat", "responses", "embeddings")));

    assertThat(step).isInstanceOf(NodeProtocol.Authenticated.class);
    NodeProtocol.Authenticated a = (NodeProtocol.Authenticated) step;
    assertThat(a.nodeId()).isEqualTo(key.id());
    assertThat(a.publicKey()).isEqualTo(key.publicKey());
    assertThat(a.apis()).containsExactlyInAnyOrder(ApiKind.CHAT, ApiKind.RESPONSES);
    assertThat(a.agent()).isEqualTo("test-agent");
    NodeProtocol.Authenticated older =
        (NodeProtocol.Authenticated) NodeProtocol.next(opened(), auth(key, NONCE, null));
    assertThat(older.apis()).containsExactly(ApiKind.CHAT);
  }

  @Test
  void everyWrongAuth_isAViolation_namingWhatIsWrong() {
    assertThat(violation(NodeProtocol.next(opened(), new Frame.Heartbeat(0, 1))))
        .isEqualTo("auth_required");
    assertThat(violation(NodeProtocol.next(opened(), auth(key, "another-nonce", null))))
        .as("a signature over another connection's challenge (a replay)")
        .isEqualTo("bad_auth");
    assertThat(violation(NodeProtocol.next(opened(), auth(stranger, NONCE, null))))
        .isEqualTo("bad_auth");
    Frame.Auth good = auth(key, NONCE, null);
    Frame.Auth otherId =
        new Frame.Auth(
            1, stranger.id(), good.publicKey(), good.signature(), "x", null); // not its key's id
    assertThat(violation(NodeProtocol.next(opened(), otherId))).isEqualTo("bad_auth");
    Frame.Auth notBase64 = new Frame.Auth(1, key.id(), "%%%", good.signature(), "x", null);
    assertThat(violation(NodeProtocol.next(opened(), notBase64))).isEqualTo("bad_auth");
    Frame.Auth future = new Frame.Auth(99, key.id(), good.publicKey(), good.signature(), "x");
    assertThat(violation(NodeProtocol.next(opened(), future))).isEqualTo("unsupported_protocol");
  }

  @Test
  void theFirstOffer_namesWhomAdmissionCountsTheNodeUnder() {
    NodeProtocol.Offered own =
        (NodeProtocol.Offered)
            NodeProtocol.next(authenticated(Phase.AWAIT_OFFER, null), offer(10, key, null));
    assertThat(own.operator()).isEqualTo("node:" + key.id().value());
    assertThat(own.offer().capacity()).isEqualTo(2);
    assertThat(own.signed().verify(key.publicKey()).valid()).isTrue();

    NodeProtocol.Offered fleet =
        (NodeProtocol.Offered)
            NodeProtocol.next(authenticated(Phase.AWAIT_OFFER, null), offer(10, key, "acme"));
    assertThat(fleet.operator()).isEqualTo("op:acme");
    NodeProtocol.Offered later =
        (NodeProtocol.Offered)
            NodeProtocol.next(authenticated(Phase.LIVE, 10L), offer(20, key, "acme"));
    assertThat(later.operator()).as("admission counted it at its first offer").isNull();
  }

  @Test
  void anOfferSignedByAnotherKey_orNamingABadOperator_isAViolation_andAnOlderOneIsIgnored() {
    assertThat(
            violation(
                NodeProtocol.next(
                    authenticated(Phase.AWAIT_OFFER, null), offer(10, stranger, null))))
        .isEqualTo("bad_offer");
    assertThat(
            violation(
                NodeProtocol.next(
                    authenticated(Phase.AWAIT_OFFER, null), offer(10, key, "no spaces"))))
        .isEqualTo("bad_offer");
    assertThat(NodeProtocol.next(authenticated(Phase.LIVE, 50L), offer(49, key, null)))
        .isInstanceOf(NodeProtocol.Ignored.class);
    assertThat(NodeProtocol.next(authenticated(Phase.LIVE, 50L), offer(50, key, null)))
        .as("the same offer again")
        .isInstanceOf(NodeProtocol.Offered.class);
  }

  @Test
  void jobFramesAndProofs_areForLiveConnectionsOnly() {
    Frame.Done done = new Frame.Done("req_01j9z4kxm8vwqe3t5p6n7r2y0c", 3, Usage.of(1, 2), false);
    Frame.Proof proof =
        new Frame.Proof("req_01j9z4kxm8vwqe3t5p6n7r2y0c", Json.object(), B64.encode(new byte[64]));

    assertThat(violation(NodeProtocol.next(authenticated(Phase.AWAIT_OFFER, null), done)))
        .isEqualTo("unexpected_frame");
    assertThat(violation(NodeProtocol.next(authenticated(Phase.AWAIT_OFFER, null), proof)))
        .isEqualTo("unexpected_frame");
    assertThat(NodeProtocol.next(authenticated(Phase.LIVE, 1L), done))
        .isEqualTo(new NodeProtocol.JobOutput(done));
    NodeProtocol.ProofOf read =
        (NodeProtocol.ProofOf) NodeProtocol.next(authenticated(Phase.LIVE, 1L), proof);
    assertThat(read.jobId()).isEqualTo("req_01j9z4kxm8vwqe3t5p6n7r2y0c");
    assertThat(read.proof().signature()).isEqualTo(proof.signature());
  }

  @Test
  void heartbeatsAndUnknownFrames_neverCloseAnAuthenticatedConnection() {
    assertThat(NodeProtocol.next(authenticated(Phase.AWAIT_OFFER, null), new Frame.Heartbeat(3, 1)))
        .isEqualTo(new NodeProtocol.Heartbeat(3));
    assertThat(NodeProtocol.next(authenticated(Phase.LIVE, 1L), new Frame.Unknown()))
        .isInstanceOf(NodeProtocol.Ignored.class);
    assertThat(
            violation(
                NodeProtocol.next(
                    authenticated(Phase.LIVE, 1L), auth(key, NONCE, null)))) // a second auth
        .isEqualTo("unexpected_frame");
  }
}
