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
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.UnencodableFrameException;
import dev.pinaivu.core.receipt.DispatchTokenVerifier;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: keeps a connection to the gateway (reconnecting with backoff), proves its
 * identity, offers the backend's models at its price, heartbeats, and runs each job on a virtual
 * thread.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  private static final long MAX_BACKOFF_MS = 30_000;
  private static final String AGENT = "pinaivu-gpu-node-agent/0.1";

  private final AgentConfig config;
  private final NodeKey key;
  private final InferenceBackend backend;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-timer");
        t.setDaemon(true);
        return t;
      });
  private final Map<String, JobRunner> running = new ConcurrentHashMap<>();
  private final CountDownLatch firstWelcome = new CountDownLatch(1);
  private volatile GatewayLink link;
  private volatile ScheduledFuture<?> heartbeat;
  private volatile List<ModelOffer> offered = List.of();

  /** The coordinator keys whose tokens this node accepts now; null when it trusts none. */
  private final AtomicReference<TrustedKeys> trusted = new AtomicReference<>();

  private final ProofWriter proofs;
  private volatile boolean closing;
  private long backoffMs = 500;

  public NodeAgent(AgentConfig config, NodeKey key, InferenceBackend backend) {
    this.config = config;
    this.key = key;
    this.backend = backend;
    this.proofs = new ProofWriter(key);
  }

  public NodeId nodeId() {
    return key.id();
  }

  public void start() {
    timer.execute(this::connect);
    timer.scheduleWithFixedDelay(
        this::refreshOffer,
        config.modelRefresh().toMillis(),
        config.modelRefresh().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Waits until the gateway has welcomed this node once. */
  public boolean awaitWelcome(long timeout, TimeUnit unit) throws InterruptedException {
    return firstWelcome.await(timeout, unit);
  }

  private void connect() {
    if (closing) {
      return;
    }
    try {
      link = GatewayLink.connect(http, config.nodeUrl(), this::onFrame, this::onClosed);
      log.info("connected to {}", config.nodeUrl());
    } catch (IOException e) {
      log.warn("{}; retrying in {} ms", e.getMessage(), backoffMs);
      retryLater();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void retryLater() {
    long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 4 + 1);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    if (!closing) {
      timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void onFrame(Frame frame) {
    switch (frame) {
      case Frame.Hello hello ->
          send(
              new Frame.Auth(
                  Frame.PROTOCOL_VERSION,
                  key.id(),
                  B64.encode(key.publicKey()),
                  B64.encode(key.signChallenge(hello.nonce())),
                  AGENT));
      case Frame.Welcome welcome -> {
        trust(welcome.coordinator()); // here, so that no later frame is read before it
        timer.execute(() -> onWelcome(welcome));
      }
      case Frame.Coordinator announced -> trustAlso(announced.coordinator());
      case Frame.Job job -> startJob(job);
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
      log.error("refusing every job: {}", checked.reason());
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

  private void onWelcome(Frame.Welcome welcome) {
    backoffMs = 500;
    sendOffer(currentModels());
    long interval = Math.max(welcome.heartbeatIntervalMs(), 100);
    heartbeat =
        timer.scheduleAtFixedRate(
            () -> send(new Frame.Heartbeat(running.size(), System.currentTimeMillis())),
            interval,
            interval,
            TimeUnit.MILLISECONDS);
    log.info("node {} is live on the network", key.id());
    firstWelcome.countDown();
  }

  private void startJob(Frame.Job job) {
    TrustedKeys keys = trusted.get();
    DispatchTokenVerifier tokens =
        keys == null ? null : new DispatchTokenVerifier(keys, key.id(), Clock.systemUTC());
    JobRunner runner = new JobRunner(job, this::sendText, tokens, proofs, this::offeredPrice);
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

  private void refreshOffer() {
    List<ModelOffer> models = currentModels();
    if (!models.equals(offered) && link != null) {
      sendOffer(models);
    }
  }

  private void sendOffer(List<ModelOffer> models) {
    NodeOffer offer =
        new NodeOffer(key.id(), System.currentTimeMillis(), config.capacity(), models);
    offered = models;
    send(new Frame.Offer(Json.MAPPER.valueToTree(offer), B64.encode(key.signOffer(offer))));
    log.info(
        "offering {} at capacity {}",
        models.stream().map(ModelOffer::id).toList(),
        config.capacity());
  }

  private void sendText(String frameText) throws IOException {
    GatewayLink current = link;
    if (current == null) {
      throw new IOException("not connected");
    }
    current.send(frameText);
  }

  private void sendOrThrow(Frame frame) throws IOException {
    sendText(FrameCodec.encode(frame));
  }

  private void send(Frame frame) {
    try {
      sendOrThrow(frame);
    } catch (IOException | UnencodableFrameException e) {
      log.debug("cannot send {}: {}", frame.getClass().getSimpleName(), e.getMessage());
    }
  }

  private void onClosed(String reason) {
    ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false);
    }
    running.values().forEach(JobRunner::cancel);
    if (!closing) {
      log.warn("lost the gateway: {}; reconnecting", reason);
      timer.execute(this::retryLater);
    }
  }

  @Override
  public void close() {
    closing = true;
    running.values().forEach(JobRunner::cancel);
    GatewayLink current = link;
    if (current != null) {
      current.close("node agent stopping");
    }
    timer.shutdownNow();
  }
}
