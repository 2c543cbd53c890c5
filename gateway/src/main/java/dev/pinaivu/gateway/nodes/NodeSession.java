package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.FrameOutbox;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.protocol.ProtocolException;
import dev.pinaivu.core.protocol.UnencodableFrameException;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.reputation.NodeAdmission;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent's connection, from challenge to close. States: waiting for {@code auth}, then for
 * the first {@code offer}, then live (jobs flow). Any frame out of place closes the connection with
 * an {@code error} frame and close code 1008.
 */
final class NodeSession {
  private static final Logger log = LoggerFactory.getLogger(NodeSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int POLICY_VIOLATION = 1008;

  private enum State {
    AWAIT_AUTH,
    AWAIT_OFFER,
    LIVE,
    CLOSED
  }

  private final NodeHub hub;
  private final Outbound outbound;
  private final String nonce;
  private final long connectedAtMs;
  private final FrameOutbox outbox;
  private final String connection;
  private final Map<String, PendingJob> jobs = new ConcurrentHashMap<>();
  // the jobs holding a slot in the registry through this connection, renewed while they run
  private final Set<String> slotted = ConcurrentHashMap.newKeySet();
  private volatile long renewedAtMs;
  // moved on by the connection's thread, closed from any (the sweeper, a newer connection)
  private final AtomicReference<State> state = new AtomicReference<>(State.AWAIT_AUTH);
  private volatile NodeId nodeId;
  private volatile byte[] publicKey;
  private volatile Set<ApiKind> apis = Set.of(ApiKind.CHAT);
  private volatile Offered offered;
  private volatile long lastSeenMs;
  private final Object announcing = new Object();
  private boolean welcomed; // guarded by announcing
  private String announcedKeyId; // guarded by announcing

  /**
   * @param connection names this connection in the node registry, unique across processes
   */
  NodeSession(NodeHub hub, Outbound outbound, long nowMs, String connection) {
    this.hub = hub;
    this.outbound = outbound;
    this.connection = connection;
    this.renewedAtMs = nowMs;
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    this.nonce = B64.encode(bytes);
    this.connectedAtMs = nowMs;
    this.lastSeenMs = nowMs;
    this.outbox =
        new FrameOutbox(outbound::send, e -> hub.onClose(this, "send failed: " + e.getMessage()));
  }

  void start() {
    sendQuietly(new Frame.Hello(Frame.PROTOCOL_VERSION, nonce, connectedAtMs));
  }

  void onText(String message, long nowMs) {
    List<String> lines = FrameCodec.lines(message);
    List<Frame> frames = new ArrayList<>(lines.size());
    try {
      for (String line : lines) {
        frames.add(FrameCodec.decode(line));
      }
    } catch (ProtocolException e) {
      violation("bad_frame", e.getMessage());
      return;
    }
    lastSeenMs = nowMs;
    for (int i = 0; i < frames.size(); i++) {
      NodeProtocol.Connection now = protocolView();
      if (now == null) {
        return; // closed
      }
      handle(NodeProtocol.next(now, frames.get(i)), lines.get(i), nowMs);
    }
  }

  /** The connection as the protocol's rules see it; null once closed. */
  private NodeProtocol.Connection protocolView() {
    NodeProtocol.Phase phase =
        switch (state.get()) {
          case AWAIT_AUTH -> NodeProtocol.Phase.AWAIT_AUTH;
          case AWAIT_OFFER -> NodeProtocol.Phase.AWAIT_OFFER;
          case LIVE -> NodeProtocol.Phase.LIVE;
          case CLOSED -> null;
        };
    if (phase == null) {
      return null;
    }
    Offered current = offered;
    return new NodeProtocol.Connection(
        phase, nodeId, nonce, publicKey, current == null ? null : current.offer().issuedAtMs());
  }

  /** Does what one frame's step asks: the protocol decided, this connection acts. */
  private void handle(NodeProtocol.Step step, String text, long nowMs) {
    switch (step) {
      case NodeProtocol.Violation v -> violation(v.code(), v.message());
      case NodeProtocol.Authenticated a -> onAuth(a);
      case NodeProtocol.Offered o -> onOffer(o, nowMs);
      case NodeProtocol.Heartbeat h -> {
        if (state.get() == State.LIVE) {
          hub.registry().heartbeat(nodeId, connection, h.runningJobs(), nowMs);
        }
      }
      case NodeProtocol.JobOutput out -> {
        PendingJob job = jobs.get(out.frame().jobId());
        if (job != null) {
          job.deliver(out.frame(), text);
        }
      }
      case NodeProtocol.ProofOf proof -> onProof(proof);
      case NodeProtocol.Ignored ignored -> log.debug("node {}: {}", nodeId, ignored.why());
    }
  }

  /** The APIs whose jobs this node runs, from its auth frame. */
  Set<ApiKind> apis() {
    return apis;
  }

  private void onAuth(NodeProtocol.Authenticated auth) {
    NodeAdmission.Verdict admitted = hub.admit(this, auth.nodeId());
    if (!admitted.admitted()) {
      refuse(admitted);
      return;
    }
    this.publicKey = auth.publicKey();
    this.nodeId = auth.nodeId();
    this.apis = auth.apis();
    if (!state.compareAndSet(State.AWAIT_AUTH, State.AWAIT_OFFER)) {
      return; // closed meanwhile
    }
    log.info("node {} authenticated ({})", nodeId, auth.agent());
    Frame.CoordinatorInfo coordinator = hub.coordinatorInfo();
    synchronized (announcing) {
      postQuietly(new Frame.Welcome(nodeId, hub.heartbeatIntervalMs(), coordinator));
      announcedKeyId = coordinator == null ? null : coordinator.keyId();
      welcomed = true;
    }
    Frame.CoordinatorInfo latest = hub.announced(); // a restart announced while this was made
    if (latest != null) {
      announce(latest);
    }
  }

  /**
   * Tells the node the key its coordinator signs tokens with now, after a restart, unless its
   * {@code welcome} or an earlier announcement named it. Never waits for the node: it comes before
   * any job sent after this returns.
   *
   * @return whether it was sent
   */
  boolean announce(Frame.CoordinatorInfo coordinator) {
    synchronized (announcing) {
      if (!welcomed || state.get() == State.CLOSED || coordinator.keyId().equals(announcedKeyId)) {
        return false;
      }
      announcedKeyId = coordinator.keyId();
      postQuietly(new Frame.Coordinator(coordinator));
      return true;
    }
  }

  /** A job's proof: handed to whoever settles it; the job is then forgotten. */
  private void onProof(NodeProtocol.ProofOf frame) {
    PendingJob job = jobs.remove(frame.jobId());
    if (job == null) {
      log.debug("node {} sent a proof for an unknown or expired job", nodeId);
      return;
    }
    job.proofArrived(frame.proof());
  }

  /** Forgets jobs whose proof did not come within {@code waitMs} of their end. */
  void sweepProofs(long nowMs, long waitMs) {
    jobs.values()
        .removeIf(job -> {
          if (job.proofOverdue(nowMs, waitMs)) {
            job.giveUpOnProof();
            return true;
          }
          return false;
        });
  }

  private void onOffer(NodeProtocol.Offered offer, long nowMs) {
    NodeOffer parsed = offer.offer();
    SignedOffer signed = offer.signed();
    if (state.get() == State.AWAIT_OFFER) {
      NodeAdmission.Verdict admitted = hub.admitOperator(this, offer.operator());
      if (!admitted.admitted()) {
        refuse(admitted);
        return;
      }
    }
    NodeEntry entry =
        new NodeEntry(nodeId, connection, publicKey, apis, signed, parsed, connectedAtMs);
    if (state.get() == State.AWAIT_OFFER) {
      if (!hub.registry().join(entry, nowMs)) {
        replaced(); // a connection of the same node that opened later holds it
        return;
      }
    } else if (!hub.registry().offer(entry, nowMs)) {
      log.debug("node {}: the registry kept its newer offer", nodeId);
      return;
    }
    offered = new Offered(parsed, signed);
    hub.offered(parsed);
    if (state.compareAndSet(State.AWAIT_OFFER, State.LIVE)) {
      hub.register(this);
      if (state.get() == State.CLOSED) {
        hub.unregister(this); // closed while it was being registered: never left live
      }
    }
    log.info(
        "node {} offers {} model(s), capacity {}",
        nodeId,
        parsed.models().size(),
        parsed.capacity());
  }

  /** Reserves a slot and sends the job; the caller owns the returned stream. */
  PendingJob dispatch(Job job, int capacityCap) throws NodeUnavailableException {
    NodeOffer current = offer();
    if (state.get() != State.LIVE || current == null) {
      throw new NodeUnavailableException("node is not live");
    }
    int capacity = Math.min(current.capacity(), capacityCap); // what it claims, capped (ADR 22)
    String jobId = job.requestId().value();
    long now = hub.now();
    NodeRegistry.Reservation reserved;
    try {
      reserved =
          hub.registry()
              .reserve(nodeId, connection, jobId, capacity, now + NodeRegistry.SLOT_LEASE_MS, now);
    } catch (RuntimeException e) { // the registry's store failed: this node cannot take it now
      throw new NodeUnavailableException("the node registry did not answer: " + e.getMessage());
    }
    switch (reserved) {
      case RESERVED -> slotted.add(jobId);
      case AT_CAPACITY ->
          throw new NodeUnavailableException("node is at capacity (" + capacity + ")");
      case NOT_HELD -> throw new NodeUnavailableException("node is not live");
    }
    PendingJob pending = new PendingJob(jobId, this);
    jobs.put(jobId, pending);
    try {
      outbox.send(job.frame());
    } catch (IOException | UnencodableFrameException e) {
      jobs.remove(jobId, pending);
      pending.close();
      throw new NodeUnavailableException("cannot reach node: " + e.getMessage());
    }
    if (state.get() == State.CLOSED) {
      pending.nodeLost("node disconnected");
    }
    return pending;
  }

  /** The job's slot is free again; the job stays known until its proof arrives or is overdue. */
  void release(PendingJob job) {
    if (slotted.remove(job.jobId())) {
      hub.registry().release(nodeId, job.jobId());
    }
  }

  /**
   * Renews the leases of the slots this connection's jobs hold, at most every third of a lease: a
   * slot lapses only when the process holding it stopped (ADR 21).
   */
  void renewSlots(long nowMs) {
    if (nowMs - renewedAtMs < NodeRegistry.SLOT_LEASE_MS / 3) {
      return;
    }
    renewedAtMs = nowMs;
    for (String jobId : slotted) {
      hub.registry().renew(nodeId, jobId, nowMs + NodeRegistry.SLOT_LEASE_MS);
    }
  }

  void onClosed(String reason) {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    outbox.close();
    hub.unregister(this);
    if (nodeId != null) {
      hub.registry().leave(nodeId, connection); // its slots go with it
    }
    slotted.clear();
    hub.released(this);
    jobs.values().forEach(j -> j.nodeLost("node disconnected: " + reason));
    jobs.clear();
    if (nodeId != null) {
      log.info("node {} disconnected: {}", nodeId, reason);
    }
  }

  private void postQuietly(Frame frame) {
    try {
      outbox.post(frame);
    } catch (IOException | UnencodableFrameException e) {
      log.debug("send to node {} failed: {}", nodeId, e.getMessage());
    }
  }

  void sendQuietly(Frame frame) {
    try {
      outbox.send(frame);
    } catch (IOException | UnencodableFrameException e) {
      log.debug("send to node {} failed: {}", nodeId, e.getMessage());
    }
  }

  void violation(String code, String message) {
    if (!authenticated()) {
      hub.refused(code); // not admitted: a failed or missing auth
    }
    log.warn(
        "closing node connection {}: {} ({})",
        nodeId == null ? "(unauthenticated)" : nodeId,
        code,
        message);
    closeWith(code, message, code);
  }

  /**
   * Refuses the node under the operator's admission policy: an {@code error} frame naming the
   * refusal, and close code 1008 whose reason says it in one line.
   */
  void refuse(NodeAdmission.Verdict verdict) {
    String code = verdict.refusal().code();
    hub.refused(code);
    log.info(
        "refusing node connection {}: {} ({})",
        nodeId == null ? "(unauthenticated)" : nodeId,
        code,
        verdict.message());
    closeWith(code, verdict.message(), CloseReason.of(code, verdict.message()));
  }

  /** Closed because a newer connection of the same node replaces it. */
  void replaced() {
    outbound.close(NodeHub.GOING_AWAY, "replaced by a newer connection");
    hub.onClose(this, "replaced by a newer connection");
  }

  boolean closed() {
    return state.get() == State.CLOSED;
  }

  String address() {
    return outbound.address();
  }

  private void closeWith(String code, String message, String reason) {
    sendQuietly(new Frame.Error(code, message));
    try {
      outbox.closeAndFlush(java.time.Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    outbound.close(POLICY_VIOLATION, reason);
    onClosed(code);
  }

  boolean isLive() {
    return state.get() == State.LIVE;
  }

  boolean isStale(long nowMs, long maxSilenceMs) {
    return nowMs - lastSeenMs > maxSilenceMs;
  }

  boolean authenticated() {
    State now = state.get();
    return now == State.AWAIT_OFFER || now == State.LIVE;
  }

  byte[] publicKey() {
    return publicKey == null ? null : publicKey.clone();
  }

  NodeId nodeId() {
    return nodeId;
  }

  /**
   * The node's current offer, read and as it signed it (for the coordinator to price tokens with);
   * null before its first offer.
   */
  record Offered(NodeOffer offer, SignedOffer signed) {}

  Offered offered() {
    return offered;
  }

  NodeOffer offer() {
    Offered current = offered;
    return current == null ? null : current.offer();
  }

  /** Jobs holding a slot through this connection. */
  int activeJobs() {
    return slotted.size();
  }

  String connection() {
    return connection;
  }

  long connectedAtMs() {
    return connectedAtMs;
  }

  Outbound outbound() {
    return outbound;
  }
}
