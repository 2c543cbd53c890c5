package dev.pinaivu.agent;

import dev.pinaivu.agent.backend.InferenceBackend;
import dev.pinaivu.agent.backend.ModelInfo;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.FrameOutbox;
import dev.pinaivu.core.protocol.JobParts;
import dev.pinaivu.core.protocol.UnencodableFrameException;
import dev.pinaivu.core.receipt.DispatchTokenVerifier;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: keeps a connection to the gateway (reconnecting with jittered exponential
 * backoff), proves its identity, offers the backend's models at its price, heartbeats, and runs
 * each job on a virtual thread.
 *
 * <p>Every answer goes out on the connection its frame came in on (the auth on the hello's, the
 * offer and heartbeats on the welcome's, a job's frames on the job's), never on "the current"
 * connection: after a reconnect, a late answer meant for the old connection would be the new one's
 * first frame, which the gateway refuses ({@code auth_required}). The connection's lifecycle (open,
 * welcome, close, the next try) runs on one timer thread, in order; reading the backend's models,
 * which may be slow, runs on another so that it never delays a heartbeat.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  private static final String AGENT = "pinaivu-gpu-node-agent/0.1";

  /** The APIs whose jobs this agent runs: Responses jobs it translates to chat (ADR 33). */
  static final java.util.List<String> RUNS =
      java.util.List.of(ApiKind.CHAT.wire(), ApiKind.RESPONSES.wire());

  private final AgentConfig config;
  private final NodeKey key;
  private final InferenceBackend backend;
  private final HttpClient http;
  private final GatewayConnection.Opener opener;
  private final ScheduledExecutorService timer = daemonScheduler("agent-timer");
  private final ScheduledExecutorService offers = daemonScheduler("agent-offers");
  private final Backoff backoff;
  private final Map<String, JobRunner> running = new ConcurrentHashMap<>();
  private final JobPartBuffer parts;
  private final CountDownLatch firstWelcome = new CountDownLatch(1);
  private final GatewayConnection.Events events =
      new GatewayConnection.Events() {
        @Override
        public void onFrame(GatewayConnection from, Frame frame) {
          NodeAgent.this.onFrame(from, frame);
        }

        @Override
        public void onOpened(GatewayConnection from) {
          if (config.handshake() != AgentConfig.Handshake.HELLO) {
            // no hello comes: the key was proved in the headers, and the offer asks for welcome
            offers.execute(() -> sendOffer(from, currentModels()));
          }
        }

        @Override
        public void onClosed(GatewayConnection from, String reason) {
          parts.closed(from); // the rest of their parts cannot come any more
          onTimer(() -> closed(from, reason));
        }
      };

  // the connection's lifecycle: written on the timer thread only
  private volatile GatewayConnection link;
  private volatile GatewayConnection welcomed; // link, once its welcome was handled
  private ScheduledFuture<?> heartbeat;
  private long welcomedAtNanos;

  private volatile List<ModelOffer> offered = List.of();

  /** The coordinator keys whose tokens this node accepts now; null when it trusts none. */
  private final AtomicReference<TrustedKeys> trusted = new AtomicReference<>();

  /** Why no coordinator is trusted, for the refusal of each job while none is. */
  private volatile String distrust = "the gateway has not announced its coordinator yet";

  private final ProofWriter proofs;
  private volatile boolean closing;

  public NodeAgent(AgentConfig config, NodeKey key, InferenceBackend backend) {
    this(config, key, backend, null);
  }

  /** With {@code opener} instead of the JDK WebSocket client (null: the client), for tests. */
  NodeAgent(
      AgentConfig config, NodeKey key, InferenceBackend backend, GatewayConnection.Opener opener) {
    this.config = config;
    this.key = key;
    this.backend = backend;
    this.http = opener == null ? HttpClient.newHttpClient() : null;
    this.opener =
        opener != null
            ? opener
            : config.handshake() == AgentConfig.Handshake.POLL
                ? events -> PollingLink.open(http, config.nodeUrl(), key, AGENT, RUNS, events)
                : events ->
                    GatewayLink.open(
                        http,
                        config.nodeUrl(),
                        events,
                        connectHeaders(),
                        config.handshake() == AgentConfig.Handshake.HEADERS
                            ? FrameOutbox.Batching.WEBSOCKET_API
                            : FrameOutbox.Batching.LOCAL);
    this.backoff = new Backoff(config.reconnect(), RandomGenerator.getDefault());
    // a job in parts is whole within milliseconds: room for as many as can run, and a few more
    this.parts =
        new JobPartBuffer(
            config.capacity() + 2, 2L * JobParts.MAX_JOB_BYTES, InstantSource.system());
    this.proofs = new ProofWriter(key);
  }

  /**
   * The upgrade request's headers: none for the local handshake; for {@link
   * AgentConfig.Handshake#HEADERS} the {@link ConnectHeaders} of this key, now.
   */
  Map<String, String> connectHeaders() {
    if (config.handshake() != AgentConfig.Handshake.HEADERS) {
      return Map.of();
    }
    return ConnectHeaders.of(key, config.nodeUrl(), System.currentTimeMillis(), RUNS);
  }

  private static ScheduledExecutorService daemonScheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  public NodeId nodeId() {
    return key.id();
  }

  public void start() {
    timer.execute(this::connect);
    offers.scheduleWithFixedDelay(
        this::refreshOffer,
        config.modelRefresh().toMillis(),
        config.modelRefresh().toMillis(),
        TimeUnit.MILLISECONDS);
    long expiry = JobPartBuffer.EXPIRY.toMillis() / 3;
    timer.scheduleWithFixedDelay(parts::expire, expiry, expiry, TimeUnit.MILLISECONDS);
  }

  /** Waits until the gateway has welcomed this node once and its offer was sent. */
  public boolean awaitWelcome(long timeout, TimeUnit unit) throws InterruptedException {
    return firstWelcome.await(timeout, unit);
  }

  /** On the timer: one try; its end, whenever it comes, schedules the next. */
  private void connect() {
    if (closing) {
      return;
    }
    welcomed = null;
    link = opener.open(events); // its frames may already be arriving: each names its connection
    log.info("connecting to {}", config.nodeUrl());
  }

  private void onFrame(GatewayConnection from, Frame frame) {
    switch (frame) {
      case Frame.Hello hello ->
          send(
              from,
              new Frame.Auth(
                  Frame.PROTOCOL_VERSION,
                  key.id(),
                  B64.encode(key.publicKey()),
                  B64.encode(key.signChallenge(hello.nonce())),
                  AGENT,
                  RUNS));
      case Frame.Welcome welcome -> {
        trust(welcome.coordinator()); // here, so that no later frame is read before it
        onTimer(() -> onWelcome(from, welcome));
      }
      case Frame.Coordinator announced -> trustAlso(announced.coordinator());
      case Frame.Job job -> startJob(from, job);
      case Frame.JobPart part -> parts.add(from, part).ifPresent(job -> startJob(from, job));
      case Frame.Cancel cancel -> {
        JobRunner runner = running.get(cancel.jobId());
        if (runner != null) {
          log.info("job {} cancelled by the gateway: {}", cancel.jobId(), cancel.reason());
          runner.cancel();
        }
      }
      case Frame.Error error ->
          log.error("the gateway refused this node: {} ({})", error.message(), error.code());
      default -> log.debug("ignoring frame {}", frame.getClass().getSimpleName());
    }
  }

  /** A new connection: only the coordinator its {@code welcome} announces is trusted. */
  private void trust(Frame.CoordinatorInfo coordinator) {
    Verification<TrustedKeys> checked = config.trust().check(coordinator);
    if (checked.valid()) {
      trusted.set(checked.value());
      log.info("trusting coordinator {} ({})", coordinator.keyId(), coordinator.kind());
    } else {
      trusted.set(null);
      distrust = checked.reason();
      log.error("this node will refuse every job: {}", checked.reason());
    }
  }

  /**
   * The gateway's coordinator restarted with a new key: trusted as well, once it is checked as at
   * {@code welcome}, so that tokens of the old key still in flight stay valid. Checked on the
   * thread that reads frames, so a job after this frame is judged with the new key.
   */
  private void trustAlso(Frame.CoordinatorInfo coordinator) {
    Verification<TrustedKeys> checked = config.trust().adding(trusted.get(), coordinator);
    if (!checked.valid()) {
      log.error(
          "refusing the jobs of coordinator {}, announced after a restart: {}",
          coordinator.keyId(),
          checked.reason());
      return;
    }
    trusted.set(checked.value()); // only the thread that reads frames writes it
    log.info(
        "trusting coordinator {} ({}) as well, announced after a restart",
        coordinator.keyId(),
        coordinator.kind());
  }

  /** On the timer: heartbeats and the offer for {@code from}, unless it ended meanwhile. */
  private void onWelcome(GatewayConnection from, Frame.Welcome welcome) {
    if (from != link) {
      return; // it ended before its welcome was handled: the next connection has its own
    }
    welcomed = from;
    welcomedAtNanos = System.nanoTime();
    long interval = Math.max(welcome.heartbeatIntervalMs(), 100);
    heartbeat =
        timer.scheduleAtFixedRate(
            () -> post(from, new Frame.Heartbeat(working(), System.currentTimeMillis())),
            interval,
            interval,
            TimeUnit.MILLISECONDS);
    offers.execute(() -> {
      sendOffer(from, currentModels());
      log.info("node {} is live on the network", key.id());
      firstWelcome.countDown();
    });
  }

  private void startJob(GatewayConnection from, Frame.Job job) {
    TrustedKeys keys = trusted.get();
    Verification<DispatchTokenVerifier> tokens =
        keys == null
            ? Verification.invalid(distrust)
            : Verification.valid(new DispatchTokenVerifier(keys, key.id(), Clock.systemUTC()));
    JobRunner runner = new JobRunner(job, from, tokens, proofs, this::offeredPrice);
    if (running.putIfAbsent(job.jobId(), runner) != null) {
      return; // the same job delivered twice: it is already running
    }
    long untilDeadline = job.deadlineMs() - System.currentTimeMillis();
    ScheduledFuture<?> deadline =
        timer.schedule(runner::cancel, Math.max(untilDeadline, 0), TimeUnit.MILLISECONDS);
    Thread.ofVirtual()
        .name("job-" + job.jobId())
        .start(() -> {
          try {
            runner.run(backend);
          } finally {
            deadline.cancel(false);
            running.remove(job.jobId(), runner);
          }
        });
  }

  /** The parts of jobs too large for one message, until each job is whole; for tests. */
  JobPartBuffer jobParts() {
    return parts;
  }

  /** Jobs still working for the gateway: what a heartbeat tells it (ADR 21). */
  private int working() {
    return (int) running.values().stream().filter(JobRunner::working).count();
  }

  /** This node's price for {@code model} in its current offer; empty when it offers none. */
  private Optional<TokenPrice> offeredPrice(String model) {
    return offered.stream().filter(m -> m.id().equals(model)).findFirst().map(ModelOffer::price);
  }

  private List<ModelOffer> currentModels() {
    try {
      List<ModelInfo> models = backend.models();
      return models.stream()
          .map(m -> new ModelOffer(m.id(), config.price(), m.contextLength()))
          .toList();
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read the models of the {}: {}", backend.describe(), e.getMessage());
      return List.of();
    }
  }

  /** On the offers thread: a changed model list is offered again on the welcomed connection. */
  private void refreshOffer() {
    List<ModelOffer> models = currentModels();
    GatewayConnection current = welcomed; // an offer before the welcome would be refused
    if (!models.equals(offered) && current != null) {
      sendOffer(current, models);
    }
  }

  private void sendOffer(GatewayConnection to, List<ModelOffer> models) {
    NodeOffer offer =
        new NodeOffer(key.id(), System.currentTimeMillis(), config.capacity(), models);
    offered = models;
    send(to, new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
    log.info(
        "offering {} at capacity {}",
        models.stream().map(ModelOffer::id).toList(),
        config.capacity());
  }

  private static void send(GatewayConnection to, Frame frame) {
    try {
      to.send(FrameCodec.encode(frame));
    } catch (IOException | UnencodableFrameException e) {
      log.debug("cannot send {}: {}", frame.getClass().getSimpleName(), e.getMessage());
    }
  }

  private static void post(GatewayConnection to, Frame frame) {
    try {
      to.post(frame);
    } catch (IOException | UnencodableFrameException e) {
      log.debug("cannot send {}: {}", frame.getClass().getSimpleName(), e.getMessage());
    }
  }

  /** On the timer: the connection's heartbeats and jobs stop, and the next try is scheduled. */
  private void closed(GatewayConnection from, String reason) {
    if (from != link) {
      return;
    }
    long upForMs =
        welcomed == from ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - welcomedAtNanos) : -1;
    link = null;
    welcomed = null;
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
    running.values().forEach(JobRunner::cancel);
    if (closing) {
      return;
    }
    long delay = backoff.nextDelayMs(upForMs);
    log.warn("lost the gateway: {}; reconnecting in {} ms", reason, delay);
    timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void onTimer(Runnable task) {
    try {
      timer.execute(task);
    } catch (RejectedExecutionException e) {
      // the agent is closing: there is no next connection
    }
  }

  @Override
  public void close() {
    closing = true;
    running.values().forEach(JobRunner::cancel);
    GatewayConnection current = link;
    if (current != null) {
      current.close("node agent stopping");
    }
    timer.shutdownNow();
    offers.shutdownNow();
    if (http != null) {
      http.shutdownNow();
    }
  }
}
