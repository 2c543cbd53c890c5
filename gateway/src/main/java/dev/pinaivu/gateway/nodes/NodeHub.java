package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live nodes of the one-machine deployment, connected over WebSocket: the directory routing
 * reads and the dispatcher that pushes jobs. A node is live from its first valid offer until its
 * connection closes or it misses three heartbeats; a node that reconnects replaces its old session.
 */
public final class NodeHub implements NodeDirectory, JobDispatcher, AutoCloseable {
  static final int MISSED_HEARTBEATS = 3;
  static final long AUTH_TIMEOUT_MS = 10_000;

  /** How long after a job ends its proof may still arrive. */
  static final long PROOF_WAIT_MS = 30_000;

  static final int GOING_AWAY = 1001;
  private static final Logger log = LoggerFactory.getLogger(NodeHub.class);

  private final Clock clock;
  private final long heartbeatIntervalMs;
  private final Set<NodeSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<NodeId, NodeSession> live = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;
  private final Supplier<Frame.CoordinatorInfo> coordinator;
  private volatile Frame.CoordinatorInfo announced;
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

  /** Why a connection is refused before it is admitted, as {@link #refusals} counts them. */
  public static final List<String> REFUSAL_REASONS =
      List.of("bad_frame", "auth_required", "unsupported_protocol", "bad_auth", "auth_timeout");

  /**
   * @param coordinator announced to every node in its {@code welcome}, so that it can check the
   *     dispatch tokens it will be sent
   */
  public NodeHub(
      Clock clock, long heartbeatIntervalMs, Supplier<Frame.CoordinatorInfo> coordinator) {
    this.clock = clock;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.coordinator = coordinator;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "node-sweeper");
          t.setDaemon(true);
          return t;
        });
    sweeper.scheduleAtFixedRate(
        this::sweep, heartbeatIntervalMs, heartbeatIntervalMs, TimeUnit.MILLISECONDS);
  }

  long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  Frame.CoordinatorInfo coordinatorInfo() {
    return coordinator.get();
  }

  /**
   * Announces the key the coordinator signs dispatch tokens with now (it restarted) to every node
   * welcomed, in a {@code coordinator} frame; nodes welcomed later learn it too. Returns without
   * waiting for any node, and before any job sent after it.
   */
  public void announce(Frame.CoordinatorInfo key) {
    announced = key;
    int told = 0;
    for (NodeSession s : sessions) {
      told += s.announce(key) ? 1 : 0;
    }
    if (told > 0) {
      log.info("announced the coordinator's new key {} to {} node(s)", key.keyId(), told);
    }
  }

  /** The key last {@link #announce}d; null before any. */
  Frame.CoordinatorInfo announced() {
    return announced;
  }

  NodeSession open(Outbound outbound) {
    NodeSession session = new NodeSession(this, outbound, clock.millis());
    sessions.add(session);
    session.start();
    return session;
  }

  void onText(NodeSession session, String text) {
    session.onText(text, clock.millis());
  }

  void onClose(NodeSession session, String reason) {
    session.onClosed(reason);
    sessions.remove(session);
  }

  void register(NodeSession session) {
    NodeSession previous = live.put(session.nodeId(), session);
    if (previous != null && previous != session) {
      previous.outbound().close(GOING_AWAY, "replaced by a newer connection");
      previous.onClosed("replaced by a newer connection");
      sessions.remove(previous);
    }
  }

  void unregister(NodeSession session) {
    if (session.nodeId() != null) {
      live.remove(session.nodeId(), session);
    }
  }

  @Override
  public List<NodeCandidate> candidates(String model) {
    List<NodeCandidate> out = new ArrayList<>();
    long now = clock.millis();
    for (NodeSession s : live.values()) {
      NodeSession.Offered offered = s.offered();
      if (offered == null || !s.isLive() || s.isStale(now, maxSilenceMs())) {
        continue;
      }
      for (ModelOffer m : offered.offer().models()) {
        if (m.id().equals(model)) {
          out.add(
              new NodeCandidate(
                  s.nodeId(),
                  m,
                  offered.signed(),
                  s.publicKey(),
                  s.activeJobs(),
                  offered.offer().capacity(),
                  s.latency().averageMs(),
                  s.latency().failures()));
        }
      }
    }
    return out;
  }

  @Override
  public List<LiveOffer> liveOffers() {
    List<LiveOffer> out = new ArrayList<>();
    long now = clock.millis();
    for (NodeSession s : live.values()) {
      NodeOffer offer = s.offer();
      if (offer != null && s.isLive() && !s.isStale(now, maxSilenceMs())) {
        offer.models().forEach(m -> out.add(new LiveOffer(s.nodeId(), m, s.connectedAtMs())));
      }
    }
    return out;
  }

  @Override
  public void recordSuccess(NodeId node, double latencyMs) {
    NodeSession s = live.get(node);
    if (s != null) {
      s.succeeded(latencyMs);
    }
  }

  @Override
  public void recordFailure(NodeId node) {
    NodeSession s = live.get(node);
    if (s != null) {
      s.failed();
    }
  }

  /** Every live node, for metrics. */
  public List<NodeStats> nodeStats() {
    List<NodeStats> out = new ArrayList<>();
    for (NodeSession s : live.values()) {
      NodeStats stats = s.isLive() ? s.stats() : null;
      if (stats != null) {
        out.add(stats);
      }
    }
    return out;
  }

  /** Connections refused before they were admitted, by reason (an error code or auth_timeout). */
  public long refusals(String reason) {
    LongAdder count = refusals.get(reason);
    return count == null ? 0 : count.sum();
  }

  void refused(String reason) {
    refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  @Override
  public JobStream dispatch(NodeId node, Job job) throws NodeUnavailableException {
    NodeSession s = live.get(node);
    if (s == null) {
      throw new NodeUnavailableException("node " + node + " is not connected");
    }
    return s.dispatch(job);
  }

  /** Number of live nodes, for status output. */
  public int liveNodes() {
    return live.size();
  }

  private long maxSilenceMs() {
    return heartbeatIntervalMs * MISSED_HEARTBEATS;
  }

  /** Drops sessions that did not authenticate in time or fell silent; runs every interval. */
  void sweep() {
    long now = clock.millis();
    for (NodeSession s : sessions) {
      s.sweepProofs(now, PROOF_WAIT_MS);
      // before its auth only the auth timeout applies, however short the heartbeat interval
      String why =
          s.authenticated()
              ? (s.isStale(now, maxSilenceMs()) ? "missed heartbeats" : null)
              : (s.isStale(now, AUTH_TIMEOUT_MS) ? "auth timeout" : null);
      if (why != null) {
        if (!s.authenticated()) {
          refused("auth_timeout");
        }
        s.outbound().close(GOING_AWAY, why);
        onClose(s, why);
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    for (NodeSession s : sessions) {
      s.outbound().close(GOING_AWAY, "gateway shutting down");
      onClose(s, "gateway shutting down");
    }
  }
}
