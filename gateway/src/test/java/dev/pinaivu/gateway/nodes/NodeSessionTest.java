package dev.pinaivu.gateway.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.receipt.CoordinatorKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway side of the node protocol, driven frame by frame without a network. */
class NodeSessionTest {
  private final NodeHub hub =
      new NodeHub(
          Clock.systemUTC(),
          60_000,
          () -> CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire());
  private final NodeKey key = NodeKey.generate();
  private final FakeOutbound out = new FakeOutbound();
  private final NodeSession session = hub.open(out);

  /** Records what the session sent; sends are asynchronous, so reads wait a little. */
  static final class FakeOutbound implements Outbound {
    final List<Frame> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile Integer closeCode;
    volatile String closeReason;

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

    /** The last frame sent, once it is of this type (waits up to 2 s). */
    <T extends Frame> T last(Class<T> type) {
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (!sent.isEmpty() && type.isInstance(sent.get(sent.size() - 1))) {
          return type.cast(sent.get(sent.size() - 1));
        }
        Thread.onSpinWait();
      }
      throw new AssertionError("no " + type.getSimpleName() + " sent; sent: " + sent);
    }

    Frame first() {
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (sent.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return sent.get(0);
    }
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private void receive(Frame frame) {
    hub.onText(session, FrameCodec.encode(frame));
  }

  private String nonce() {
    return ((Frame.Hello) out.first()).nonce();
  }

  private void authenticate() {
    receive(
        new Frame.Auth(
            1,
            key.id(),
            B64.encode(key.publicKey()),
            B64.encode(key.signChallenge(nonce())),
            "test"));
  }

  private void offer(int capacity, long issuedAt) {
    NodeOffer offer =
        new NodeOffer(key.id(), issuedAt, capacity, List.of(new ModelOffer("m", 1, 2, 100)));
    receive(new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
  }

  private static Job job() {
    return new Job(RequestId.next(), "m", true, "{}", System.currentTimeMillis() + 60_000, null);
  }

  @Test
  void handshake_helloAuthWelcomeOffer_makesTheNodeLive() {
    assertThat(out.first()).isInstanceOf(Frame.Hello.class);

    authenticate();
    assertThat(out.last(Frame.Welcome.class).nodeId()).isEqualTo(key.id());
    assertThat(hub.candidates("m")).isEmpty();

    offer(2, 1);
    assertThat(hub.candidates("m"))
        .singleElement()
        .satisfies(c -> assertThat(c.nodeId()).isEqualTo(key.id()));
    assertThat(hub.liveOffers()).hasSize(1);
  }

  @Test
  void auth_withSignatureOverAnotherNonce_isRefused() {
    receive(
        new Frame.Auth(
            1, key.id(), B64.encode(key.publicKey()), B64.encode(key.signChallenge("other")), "t"));

    assertThat(out.last(Frame.Error.class).code()).isEqualTo("bad_auth");
    assertThat(out.closeCode).isEqualTo(1008);
  }

  @Test
  void auth_claimingAnotherNodesId_isRefused() {
    receive(
        new Frame.Auth(
            1,
            NodeKey.generate().id(),
            B64.encode(key.publicKey()),
            B64.encode(key.signChallenge(nonce())),
            "t"));

    assertThat(out.last(Frame.Error.class).message()).contains("does not derive");
  }

  @Test
  void auth_withUnknownProtocolVersion_isRefused() {
    receive(
        new Frame.Auth(
            2, key.id(), B64.encode(key.publicKey()), B64.encode(key.signChallenge(nonce())), "t"));

    assertThat(out.last(Frame.Error.class).code()).isEqualTo("unsupported_protocol");
  }

  @Test
  void anythingButAuthFirst_isRefused() {
    receive(new Frame.Heartbeat(0, 0));

    assertThat(out.last(Frame.Error.class).code()).isEqualTo("auth_required");
    assertThat(out.closeCode).isEqualTo(1008);
  }

  @Test
  void garbage_isRefusedWithAReason() {
    hub.onText(session, "{not json");

    assertThat(out.last(Frame.Error.class).code()).isEqualTo("bad_frame");
  }

  @Test
  void offer_tamperedAfterSigning_isRefused() {
    authenticate();
    NodeOffer offer = new NodeOffer(key.id(), 1, 2, List.of(new ModelOffer("m", 100, 100, null)));
    ObjectNode wire = Json.MAPPER.valueToTree(offer);
    ((ObjectNode) wire.get("models").get(0)).put("input_micros_per_mtok", 1);

    receive(new Frame.Offer(wire, B64.encode(key.signOffer(offer))));

    assertThat(out.last(Frame.Error.class).code()).isEqualTo("bad_offer");
    assertThat(hub.candidates("m")).isEmpty();
  }

  @Test
  void offer_forAnotherNode_isRefused() {
    authenticate();
    NodeKey other = NodeKey.generate();
    NodeOffer offer = new NodeOffer(other.id(), 1, 2, List.of(new ModelOffer("m", 1, 1, null)));

    receive(new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));

    assertThat(out.last(Frame.Error.class).message())
        .contains("node_id " + other.id() + " does not derive from the signing key");
  }

  @Test
  void olderOffer_doesNotReplaceANewerOne() {
    authenticate();
    offer(2, 100);
    offer(7, 50);

    assertThat(hub.candidates("m").get(0).capacity()).isEqualTo(2);
  }

  @Test
  void dispatch_sendsTheJobAndRoutesItsFramesBack() throws Exception {
    authenticate();
    offer(2, 1);
    Job job = job();

    JobStream stream = hub.dispatch(key.id(), job);
    Frame.Job sent = out.last(Frame.Job.class);
    assertThat(sent.jobId()).isEqualTo(job.requestId().value());
    receive(new Frame.Chunk(sent.jobId(), 0, Json.object().put("x", 1)));
    receive(new Frame.Chunk("req_01j9z4kxm8vwqe3t5p6n7r2y0c", 0, Json.object()));
    receive(new Frame.Done(sent.jobId(), 1, Usage.of(1, 1), false));

    assertThat(stream.next(Duration.ofSeconds(1))).isInstanceOf(Frame.Chunk.class);
    assertThat(stream.next(Duration.ofSeconds(1))).isInstanceOf(Frame.Done.class);
    assertThat(stream.next(Duration.ofMillis(10))).isNull();
    assertThat(hub.candidates("m").get(0).activeJobs()).isEqualTo(1);
    stream.close();
    assertThat(hub.candidates("m").get(0).activeJobs()).isZero();
  }

  @Test
  void dispatch_beyondCapacity_isRefused() throws Exception {
    authenticate();
    offer(1, 1);
    hub.dispatch(key.id(), job());

    assertThatThrownBy(() -> hub.dispatch(key.id(), job()))
        .isInstanceOf(NodeUnavailableException.class);
  }

  @Test
  void cancel_tellsTheNodeAndDropsLateFrames() throws Exception {
    authenticate();
    offer(2, 1);
    JobStream stream = hub.dispatch(key.id(), job());
    String jobId = out.last(Frame.Job.class).jobId();

    stream.cancel("client disconnected");
    receive(new Frame.Chunk(jobId, 0, Json.object()));

    assertThat(out.last(Frame.Cancel.class).reason()).isEqualTo("client disconnected");
    for (int i = 0; i < 2; i++) { // never the late chunk: the cancel, every time
      assertThat(stream.next(Duration.ofMillis(10)))
          .isInstanceOfSatisfying(
              Frame.JobError.class, e -> assertThat(e.code()).isEqualTo(JobStream.CANCELLED));
    }
  }

  @Test
  void cancelFromAnotherThread_wakesAWaitingReaderAtOnce() throws Exception {
    authenticate();
    offer(2, 1);
    JobStream stream = hub.dispatch(key.id(), job());
    Thread.ofVirtual()
        .start(() -> {
          out.last(Frame.Job.class);
          stream.cancel("client disconnected");
        });

    long started = System.nanoTime();
    Frame.JobFrame frame = stream.next(Duration.ofSeconds(30));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(frame)
        .isInstanceOfSatisfying(
            Frame.JobError.class,
            e -> {
              assertThat(e.code()).isEqualTo(JobStream.CANCELLED);
              assertThat(e.retryable()).isFalse();
              assertThat(e.seq()).isEqualTo(-1);
            });
  }

  @Test
  void connectionLoss_failsEveryJobInFlightAsRetryable() throws Exception {
    authenticate();
    offer(2, 1);
    JobStream stream = hub.dispatch(key.id(), job());

    hub.onClose(session, "network");

    Frame.JobFrame frame = stream.next(Duration.ofSeconds(1));
    assertThat(frame)
        .isInstanceOfSatisfying(
            Frame.JobError.class,
            e -> {
              assertThat(e.code()).isEqualTo(JobStream.NODE_LOST);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(hub.candidates("m")).isEmpty();
  }

  @Test
  void reconnectingNode_replacesItsOldSession() {
    authenticate();
    offer(2, 1);
    FakeOutbound second = new FakeOutbound();
    NodeSession newer = hub.open(second);
    String nonce = ((Frame.Hello) second.first()).nonce();
    hub.onText(
        newer,
        FrameCodec.encode(
            new Frame.Auth(
                1,
                key.id(),
                B64.encode(key.publicKey()),
                B64.encode(key.signChallenge(nonce)),
                "t")));
    NodeOffer offer = new NodeOffer(key.id(), 2, 3, List.of(new ModelOffer("m", 1, 2, 100)));
    hub.onText(
        newer,
        FrameCodec.encode(
            new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer)))));

    assertThat(out.closeCode).isEqualTo(1001);
    assertThat(hub.candidates("m")) // the newer session's offer (its capacity is capped, ADR 22)
        .singleElement()
        .satisfies(
            c -> assertThat(c.signedOffer().offer().get("issued_at_ms").asLong()).isEqualTo(2));
  }

  private static Frame.CoordinatorInfo restartedCoordinator() {
    return CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire();
  }

  @Test
  void aRestartedCoordinatorsKey_isAnnouncedToAWelcomedNode_once() {
    authenticate();
    offer(2, 1);
    Frame.CoordinatorInfo restarted = restartedCoordinator();

    hub.announce(restarted);
    hub.announce(restarted); // a reconnect to the same coordinator

    assertThat(out.last(Frame.Coordinator.class).coordinator()).isEqualTo(restarted);
    assertThat(out.sent.stream().filter(Frame.Coordinator.class::isInstance)).hasSize(1);
  }

  @Test
  void aKeyAnnouncedBeforeTheWelcome_followsIt_whenTheWelcomeNamedAnother() {
    Frame.CoordinatorInfo restarted = restartedCoordinator();
    hub.announce(restarted); // not sent: this node is not welcomed yet

    authenticate(); // the welcome names the key the hub's supplier gives, another one

    assertThat(out.last(Frame.Coordinator.class).coordinator()).isEqualTo(restarted);
    assertThat(out.sent.stream().map(f -> f.getClass().getSimpleName()))
        .containsExactly("Hello", "Welcome", "Coordinator");
  }
}
