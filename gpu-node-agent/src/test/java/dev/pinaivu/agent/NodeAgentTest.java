package dev.pinaivu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.agent.backend.Cancellation;
import dev.pinaivu.agent.backend.DemoBackend;
import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.JobOutput;
import dev.pinaivu.agent.backend.ModelInfo;
import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.CoordinatorService;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.JobParts;
import dev.pinaivu.core.protocol.ProtocolException;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.ProofOfInference;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of joining and reconnecting, on fake connections that the test drives frame by
 * frame, in the interleavings that lost a node its auth (a hello before the connection was known; a
 * late answer for an old connection sent as a new one's first frame).
 */
class NodeAgentTest {
  private static final ReconnectPolicy AT_ONCE =
      new ReconnectPolicy(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO);
  private static final Frame.CoordinatorInfo DEV_COORDINATOR =
      CoordinatorKey.dev(Ed25519.PrivateKey.generate().publicKey()).toWire();

  private final NodeKey key = NodeKey.generate();
  private Duration modelRefresh = Duration.ofMinutes(10);
  private InferenceBackend backend = new DemoBackend(Duration.ZERO, Duration.ZERO);
  private final BlockingQueue<FakeConnection> opened = new LinkedBlockingQueue<>();
  private NodeAgent agent;

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
  }

  /** A connection the test plays the gateway on; it records what the agent sent, and when. */
  static final class FakeConnection implements GatewayConnection {
    final GatewayConnection.Events events;
    final List<Frame> sent = new CopyOnWriteArrayList<>();
    final List<Frame> sentAfterClose = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    FakeConnection(GatewayConnection.Events events) {
      this.events = events;
    }

    @Override
    public void send(String frameText) throws IOException {
      try {
        record(FrameCodec.decode(frameText));
      } catch (ProtocolException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void post(Frame frame) throws IOException {
      record(frame);
    }

    private void record(Frame frame) throws IOException {
      if (closed) {
        sentAfterClose.add(frame);
        throw new IOException("connection closed");
      }
      sent.add(frame);
    }

    @Override
    public void close(String reason) {
      closedByGateway();
    }

    void receive(Frame frame) {
      events.onFrame(this, frame);
    }

    void closedByGateway() {
      closed = true;
      events.onClosed(this, "cut");
    }

    void hello() {
      receive(new Frame.Hello(Frame.PROTOCOL_VERSION, "nonce-" + System.nanoTime(), 0));
    }

    void welcome(NodeKey key) {
      receive(new Frame.Welcome(key.id(), 100, DEV_COORDINATOR));
    }

    <T extends Frame> T await(List<Frame> frames, Class<T> type) throws InterruptedException {
      return type.cast(awaitFrame(() -> frames, type::isInstance));
    }

    /** Everything the agent sent or tried to send on this connection, before or after its end. */
    List<Frame> tried() {
      List<Frame> all = new ArrayList<>(sent);
      all.addAll(sentAfterClose);
      return all;
    }

    static Frame awaitFrame(Supplier<List<Frame>> frames, Predicate<Frame> wanted)
        throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        for (Frame f : frames.get()) {
          if (wanted.test(f)) {
            return f;
          }
        }
        Thread.sleep(5);
      }
      throw new AssertionError("not sent; sent: " + frames.get());
    }
  }

  private NodeAgent agent(boolean trustDev, GatewayConnection.Opener opener) {
    AgentConfig config =
        new AgentConfig(
            URI.create("ws://127.0.0.1:1/v1/nodes/connect"),
            TokenPrice.FREE,
            4,
            modelRefresh,
            new CoordinatorTrust(trustDev, null),
            AT_ONCE);
    agent = new NodeAgent(config, key, backend, opener);
    return agent;
  }

  private NodeAgent agent(boolean trustDev) {
    return agent(
        trustDev,
        events -> {
          FakeConnection c = new FakeConnection(events);
          opened.add(c);
          return c;
        });
  }

  private FakeConnection next() throws InterruptedException {
    FakeConnection c = opened.poll(5, TimeUnit.SECONDS);
    assertThat(c).as("the agent opened a connection").isNotNull();
    return c;
  }

  @Test
  void hello_arrivingBeforeTheConnectionIsOpened_isAnsweredOnIt() throws Exception {
    agent(
            true,
            events -> {
              FakeConnection c = new FakeConnection(events);
              c.hello(); // on loopback the gateway's hello often beats buildAsync's completion
              opened.add(c);
              return c;
            })
        .start();
    FakeConnection first = next();

    Frame.Auth auth = first.await(first.sent, Frame.Auth.class);

    assertThat(auth.nodeId()).isEqualTo(key.id());
    assertThat(first.sent).first().isInstanceOf(Frame.Auth.class);
  }

  @Test
  void aNewConnection_getsNothingBeforeItsAuth_noHeartbeatNorOfferOfTheOldOne() throws Exception {
    modelRefresh = Duration.ofMillis(20);
    backend = new ChangingModels(); // every refresh finds a new model list, and wants to offer it
    agent(true).start();
    FakeConnection old = next();
    old.hello();
    old.welcome(key);
    old.await(old.sent, Frame.Offer.class);
    old.await(old.sent, Frame.Heartbeat.class);

    old.closedByGateway();
    FakeConnection fresh = next();
    Thread.sleep(300); // 3 heartbeat intervals, 15 refreshes: what leaked would be here by now
    assertThat(fresh.sent).as("sent before the fresh connection's hello").isEmpty();

    fresh.hello();
    fresh.await(fresh.sent, Frame.Auth.class);
    fresh.welcome(key);
    fresh.await(fresh.sent, Frame.Heartbeat.class);
    assertThat(fresh.sent).first().isInstanceOf(Frame.Auth.class);
    assertThat(agent.awaitWelcome(5, TimeUnit.SECONDS)).isTrue();
  }

  /** A backend whose model list is different at every look. */
  private static final class ChangingModels implements InferenceBackend {
    private final AtomicInteger looks = new AtomicInteger();

    @Override
    public String describe() {
      return "changing models";
    }

    @Override
    public List<ModelInfo> models() {
      return List.of(new ModelInfo("m" + looks.incrementAndGet(), null));
    }

    @Override
    public void complete(ObjectNode request, boolean stream, JobOutput out, Cancellation cancel) {
      throw new UnsupportedOperationException("no job runs in this test");
    }
  }

  @Test
  void aJobsFrames_goOutOnTheJobsConnection_evenAfterANewOneOpened() throws Exception {
    agent(false).start(); // trusts no coordinator: refuses every job at once with job_error
    FakeConnection old = next();
    old.hello();
    old.welcome(key);
    old.await(old.sent, Frame.Offer.class);
    old.closedByGateway();
    FakeConnection fresh = next();
    fresh.hello();
    fresh.await(fresh.sent, Frame.Auth.class);

    String jobId = RequestId.next().value();
    old.receive( // a job the old connection delivered as it went down
        new Frame.Job(jobId, "m", false, "{}", System.currentTimeMillis() + 60_000, null));

    Frame.JobError refused = old.await(old.sentAfterClose, Frame.JobError.class);
    assertThat(refused.jobId()).isEqualTo(jobId);
    assertThat(fresh.sent).allMatch(Frame.Auth.class::isInstance); // its auth, and nothing else
  }

  @Test
  void everyEndedConnection_isFollowedByExactlyOneNewTry() throws Exception {
    agent(true).start();
    FakeConnection first = next();
    first.closedByGateway();
    first.closedByGateway(); // told twice (close and error): still one retry

    FakeConnection second = next();
    second.hello();
    second.await(second.sent, Frame.Auth.class);

    assertThat(opened.poll(300, TimeUnit.MILLISECONDS)).as("a second, parallel try").isNull();
  }

  /** A connection welcomed with a coordinator whose tokens the agent trusts, the offer sent. */
  private FakeConnection welcomedBy(CoordinatorService coordinator) throws Exception {
    agent(true).start();
    FakeConnection c = next();
    c.hello();
    c.receive(new Frame.Welcome(key.id(), 60_000, coordinator.identity().toWire()));
    c.await(c.sent, Frame.Offer.class);
    return c;
  }

  @Test
  void aJobInParts_runsAsItsJobFrameWould_itsProofOverTheBodyTheGatewaySent() throws Exception {
    CoordinatorService coordinator =
        CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500)));
    FakeConnection c = welcomedBy(coordinator);
    String model = DemoBackend.MODEL;
    String body =
        Json.text(
            Json.object()
                .put("model", model)
                .put("max_tokens", 4)
                .set(
                    "messages",
                    Json.MAPPER
                        .createArrayNode()
                        .add(
                            Json.object()
                                .put("role", "system")
                                .put("content", "é \"😀\" ".repeat(30_000)))
                        .add(Json.object().put("role", "user").put("content", "hi"))));
    String jobId = RequestId.next().value();
    SignedOffer offer =
        SignedOffer.sign(
            new NodeOffer(key.id(), 1, 4, List.of(new ModelOffer(model, TokenPrice.FREE, null))),
            key);
    String token =
        coordinator
            .dispatch(
                new Coordinator.DispatchRequest(
                    jobId,
                    Sha256.hex(body.getBytes(StandardCharsets.UTF_8)),
                    model,
                    key.publicKey(),
                    offer,
                    100_000,
                    256))
            .wire();
    Frame.Job job =
        new Frame.Job(jobId, model, false, body, System.currentTimeMillis() + 60_000, token);
    List<Frame.JobPart> parts =
        JobParts.split(jobId, FrameCodec.encode(job), JobParts.MAX_PART_BYTES);
    assertThat(parts).hasSizeGreaterThanOrEqualTo(3);

    c.receive(parts.get(1));
    c.receive(parts.get(1)); // a part sent twice changes nothing
    c.receive(parts.get(0));
    parts.subList(2, parts.size()).forEach(c::receive);

    assertThat(c.await(c.sent, Frame.JobAccept.class).jobId()).isEqualTo(jobId);
    assertThat(c.await(c.sent, Frame.Result.class).jobId()).isEqualTo(jobId);
    Frame.Proof proof = c.await(c.sent, Frame.Proof.class);
    Verification<ProofOfInference> verified =
        new SignedProof(proof.proof(), proof.signature()).verify(key.publicKey());
    assertThat(verified.valid()).as(verified.reason()).isTrue();
    assertThat(verified.value().requestSha256())
        .isEqualTo(Sha256.hex(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(c.sent).noneMatch(Frame.JobError.class::isInstance);
    assertThat(agent.jobParts().jobs()).as("nothing left assembling").isZero();
  }

  @Test
  void aFloodOfPartsOfJobsNeverWhole_holdsBoundedState_untilTheirConnectionEnds() throws Exception {
    FakeConnection c =
        welcomedBy(CoordinatorService.dev(CoordinatorOptions.withFees(new FeePolicy(500))));
    String piece = "x".repeat(JobParts.MAX_PART_BYTES); // one string, so the test holds little
    long boundBytes = 2L * JobParts.MAX_JOB_BYTES;
    int boundJobs = 4 + 2; // the agent's capacity, and a few more

    for (int i = 0; i < 2_000; i++) { // parts of ever new jobs
      c.receive(new Frame.JobPart(RequestId.next().value(), 0, 2, piece));
    }
    assertThat(agent.jobParts().jobs()).isEqualTo(boundJobs);
    c.closedByGateway();
    assertThat(agent.jobParts().jobs()).as("forgotten with their connection").isZero();

    FakeConnection fresh = next();
    fresh.hello();
    fresh.welcome(key);
    List<String> jobs = new ArrayList<>();
    for (int j = 0; j < boundJobs; j++) {
      jobs.add(RequestId.next().value());
    }
    long most = 0;
    for (int i = 0; i < JobParts.MAX_PARTS; i++) { // every part of the jobs it may hold
      for (String id : jobs) {
        fresh.receive(new Frame.JobPart(id, i, JobParts.MAX_PARTS, piece));
        most = Math.max(most, agent.jobParts().bytes());
      }
    }
    assertThat(most).isGreaterThan(JobParts.MAX_JOB_BYTES).isLessThanOrEqualTo(boundBytes);
    assertThat(agent.jobParts().jobs()).isLessThanOrEqualTo(boundJobs);
    assertThat(fresh.sent)
        .noneMatch(f -> f instanceof Frame.JobAccept || f instanceof Frame.JobError);
  }
}
