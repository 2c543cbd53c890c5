package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.InMemoryNodeRegistry;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.InMemoryConductRecords;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.reputation.NodeStandings;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.core.routing.LiveOffer;
import dev.pinaivu.core.routing.NodeCandidate;
import dev.pinaivu.core.routing.NodeDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live nodes of the one-machine deployment, connected over WebSocket: the directory routing
 * reads and the dispatcher that pushes jobs. A node is live from its first valid offer until its
 * connection closes or it misses three heartbeats; a node that reconnects replaces its old session.
 *
 * <p>What each node did is kept in its {@link NodeStandings} across its connections (ADR 22): a
 * quarantined node is neither routed to nor listed in {@code /v1/models}, a node is never sent more
 * jobs than it has shown it can run, and the operator's {@link NodeAdmission} decides who joins.
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
  private final NodeStandings standings;
  private final NodeGate gate;
  private final NodeRegistry registry;
  // names this hub's connections in the registry, apart from every other process's
  private final String instance = "gw-" + UUID.randomUUID();
  private final AtomicLong connections = new AtomicLong();

  /**
   * A model stays known this long after a node last offered it, so that a request for it while its
   * nodes are away is a 503 to retry, not a 404 (ADR 29).
   */
  static final long MODEL_MEMORY_MS = 24 * 3_600_000L;

  /** A new hub knows no model for this long, while the nodes of a restarted gateway rejoin. */
  static final long MIN_MODEL_GRACE_MS = 30_000;

  private final Map<String, Long> offeredAtMs = new ConcurrentHashMap<>();
  private final long startedAtMs;

  /**
   * Why a connection is refused before it is admitted, as {@link #refusals} counts them: protocol
   * errors of the auth, and the admission policy's refusals (ADR 22).
   */
  public static final List<String> REFUSAL_REASONS =
      List.of(
          "bad_frame",
          "auth_required",
          "unsupported_protocol",
          "bad_auth",
          "auth_timeout",
          NodeAdmission.Refusal.NOT_ALLOWLISTED.code(),
          NodeAdmission.Refusal.LOW_REPUTATION.code(),
          NodeAdmission.Refusal.ADDRESS_LIMIT.code(),
          NodeAdmission.Refusal.OPERATOR_LIMIT.code());

  /**
   * @param coordinator announced to every node in its {@code welcome}, so that it can check the
   *     dispatch tokens it will be sent
   */
  public NodeHub(
      Clock clock, long heartbeatIntervalMs, Supplier<Frame.CoordinatorInfo> coordinator) {
    this(clock, heartbeatIntervalMs, coordinator, NodePolicy.DEFAULTS);
  }

  /**
   * @param policy who may join, and how nodes are treated by what they did
   */
  public NodeHub(
      Clock clock,
      long heartbeatIntervalMs,
      Supplier<Frame.CoordinatorInfo> coordinator,
      NodePolicy policy) {
    this(
        clock,
        heartbeatIntervalMs,
        coordinator,
        policy,
        new InMemoryNodeRegistry(),
        new InMemoryConductRecords());
  }

  /**
   * @param registry where the live nodes, their slots and their history are kept: this process's
   *     memory, or a table other processes share (ADR 21)
   * @param conduct where what each node did is kept, read when it connects (ADR 22)
   */
  public NodeHub(
      Clock clock,
      long heartbeatIntervalMs,
      Supplier<Frame.CoordinatorInfo> coordinator,
      NodePolicy policy,
      NodeRegistry registry,
      ConductRecords conduct) {
    this.registry = registry;
    this.standings = new NodeStandings(policy.conduct(), conduct);
    this.gate = new NodeGate(policy.admission(), standings);
    this.clock = clock;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.coordinator = coordinator;
    this.startedAtMs = clock.millis();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "node-sweeper");
          t.setDaemon(true);
          return t;
        });
    sweeper.scheduleAtFixedRate(
        this::sweep, heartbeatIntervalMs, heartbeatIntervalMs, TimeUnit.MILLISECONDS);
  }

  NodeRegistry registry() {
    return registry;
  }

  long now() {
    return clock.millis();
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
    NodeSession session =
        new NodeSession(
            this, outbound, clock.millis(), instance + "/" + connections.incrementAndGet());
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

  /** Admission once {@code session} has proved the key of {@code node} (ADR 22). */
  NodeAdmission.Verdict admit(NodeSession session, NodeId node) {
    standings.connected(node); // what it did on other processes counts here
    return gate.atAuth(session, node, session.address(), clock.millis(), this::sessionOf);
  }

  /** Admission of {@code session}'s first offer under {@code operator}. */
  NodeAdmission.Verdict admitOperator(NodeSession session, String operator) {
    return gate.atOffer(session, operator);
  }

  /** {@code session} closed: its seats are free. */
  void released(NodeSession session) {
    gate.release(session);
  }

  /** The operator's admission policy. */
  public NodeAdmission admission() {
    return gate.policy();
  }

  /** Live nodes in {@code phase} now. */
  public long nodesIn(Standing.Phase phase) {
    return nodeStats().stream().filter(n -> n.standing().phase() == phase).count();
  }

  /** The open, authenticated connection of {@code node}; null when there is none. */
  private NodeSession sessionOf(NodeId node) {
    NodeSession current = live.get(node);
    if (current != null) {
      return current;
    }
    for (NodeSession s : sessions) {
      if (node.equals(s.nodeId()) && !s.closed()) {
        return s;
      }
    }
    return null;
  }

  /** Where {@code node} stands now, by what it did; its cap no higher than its offer's claim. */
  private Standing standing(NodeId node, int claimedCapacity, long nowMs) {
    return standings.of(node, nowMs).standing(nowMs, claimedCapacity);
  }

  @Override
  public List<NodeCandidate> candidates(String model) {
    List<NodeCandidate> out = new ArrayList<>();
    long now = clock.millis();
    for (NodeSession s : live.values()) {
      if (!s.isLive() || s.isStale(now, maxSilenceMs())) {
        continue;
      }
      RegisteredNode node = registered(s, now);
      if (node == null) {
        continue;
      }
      NodeEntry entry = node.entry();
      Standing standing = null;
      for (ModelOffer m : entry.offer().models()) {
        if (m.id().equals(model)) {
          standing =
              standing != null ? standing : standing(s.nodeId(), entry.offer().capacity(), now);
          if (!standing.routable()) {
            break; // quarantined: out of routing until its backoff ends
          }
          out.add(
              new NodeCandidate(
                  s.nodeId(),
                  m,
                  entry.signed(),
                  entry.publicKey(),
                  node.busy(),
                  standing.capacityCap(),
                  node.latencyMs(),
                  node.recentFailures(),
                  standing,
                  entry.apis()));
        }
      }
    }
    return out;
  }

  /** {@code s}'s node as the registry has it, while {@code s} holds it; null otherwise. */
  private RegisteredNode registered(NodeSession s, long now) {
    return registry
        .find(s.nodeId(), now)
        .filter(n -> n.entry().connection().equals(s.connection()))
        .orElse(null);
  }

  /** {@code offer} was accepted from a node: its models are known from now on. */
  void offered(NodeOffer offer) {
    long now = clock.millis();
    offer.models().forEach(m -> offeredAtMs.put(m.id(), now));
  }

  @Override
  public boolean offeredRecently(String model) {
    long now = clock.millis();
    if (now - startedAtMs < Math.max(MIN_MODEL_GRACE_MS, maxSilenceMs())) {
      return true; // too new to know: the nodes of a restarted gateway are still rejoining
    }
    for (NodeSession s : live.values()) {
      NodeOffer offer = s.offer();
      if (offer != null && offer.models().stream().anyMatch(m -> m.id().equals(model))) {
        return true; // a node offers it now, though none may be routable
      }
    }
    Long at = offeredAtMs.get(model);
    return at != null && now - at < MODEL_MEMORY_MS;
  }

  @Override
  public List<LiveOffer> liveOffers() {
    List<LiveOffer> out = new ArrayList<>();
    long now = clock.millis();
    for (NodeSession s : live.values()) {
      NodeOffer offer = s.offer();
      if (offer != null
          && s.isLive()
          && !s.isStale(now, maxSilenceMs())
          && !standings.quarantined(s.nodeId(), now)) { // a node that cannot serve is not listed
        offer.models().forEach(m -> out.add(new LiveOffer(s.nodeId(), m, s.connectedAtMs())));
      }
    }
    return out;
  }

  @Override
  public void recordSuccess(NodeId node, double latencyMs) {
    NodeSession s = live.get(node);
    // the job has just given its slot back: it ran beside the jobs still running
    int concurrency = s == null ? 1 : s.activeJobs() + 1;
    long now = clock.millis();
    standings.record(node, now, c -> c.succeeded(now, latencyMs, concurrency));
    registry.succeeded(node, latencyMs);
  }

  @Override
  public void recordFailure(NodeId node) {
    long now = clock.millis();
    NodeSession s = live.get(node);
    if (s == null || s.closed()) {
      // its link is gone, and took every job on it down: one failure, not one per job (ADR 22)
      standings.record(node, now, c -> c.lostLink(now));
      return;
    }
    standings.record(node, now, c -> c.failed(now));
    registry.failed(node);
  }

  @Override
  public void recordDeadlineMiss(NodeId node, double waitedMs) {
    long now = clock.millis();
    standings.record(node, now, c -> c.missedDeadline(now, waitedMs));
    registry.failed(node);
  }

  @Override
  public void recordOverclaim(NodeId node) {
    long now = clock.millis();
    standings.record(node, now, c -> c.overclaimed(now));
    registry.failed(node);
  }

  /** Every live node, for metrics and the admin view, with where it stands. */
  public List<NodeStats> nodeStats() {
    List<NodeStats> out = new ArrayList<>();
    long now = clock.millis();
    for (NodeSession s : live.values()) {
      RegisteredNode node = s.isLive() ? registered(s, now) : null;
      if (node != null) {
        int capacity = node.entry().offer().capacity();
        out.add(
            new NodeStats(
                node.nodeId(),
                node.busy(),
                capacity,
                node.successes(),
                node.failures(),
                standing(node.nodeId(), capacity, now)));
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
    NodeOffer offer = s == null ? null : s.offer();
    if (s == null || offer == null) {
      throw new NodeUnavailableException("node " + node + " is not connected");
    }
    Standing standing = standing(node, offer.capacity(), clock.millis());
    if (!standing.routable()) {
      throw new NodeUnavailableException("node " + node + " is quarantined");
    }
    return s.dispatch(job, standing.capacityCap());
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
      s.renewSlots(now);
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
    NodeAdmission policy = gate.policy();
    for (NodeSession s : live.values()) {
      double reputation = standings.reputation(s.nodeId(), now);
      if (policy.belowMinimum(reputation)) { // min-reputation: a node that fell below must leave
        s.refuse(
            new NodeAdmission.Verdict(
                NodeAdmission.Refusal.LOW_REPUTATION,
                String.format(
                    java.util.Locale.ROOT,
                    "reputation %.2f fell below the minimum %.2f",
                    reputation,
                    policy.minReputation())));
      }
    }
    standings.forgetIdle(now, live::containsKey);
    offeredAtMs.values().removeIf(at -> now - at >= MODEL_MEMORY_MS);
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
