package dev.pinaivu.core.protocol;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.SignedProof;
import dev.pinaivu.core.receipt.Verification;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The gateway's side of the node protocol as pure decisions (docs/node-protocol.md): given where a
 * connection is and one frame from its node, what the frame means, or why the connection must
 * close. It does no I/O and keeps no state, so the same rules run in the one-machine gateway's
 * WebSocket session and, per message, in a Lambda behind an API Gateway WebSocket API (ADR 21, 27).
 * Admission (who may join) and the registry are the caller's: a {@link Step} says what to ask.
 */
public final class NodeProtocol {
  private NodeProtocol() {}

  /** Where a connection is. */
  public enum Phase {
    /** Opened; the first frame must be {@code auth}, answering the challenge. */
    AWAIT_AUTH,
    /** Authenticated; waiting for the first offer, after which jobs may flow. */
    AWAIT_OFFER,
    /** Live: offers, heartbeats, job frames and proofs. */
    LIVE
  }

  /**
   * What the connection knows when a frame arrives.
   *
   * @param challenge what the node's auth must sign: the hello's nonce
   * @param publicKey the key the node proved; null before its auth
   * @param heldOfferIssuedAtMs when the offer held now was issued; null before the first
   */
  public record Connection(
      Phase phase, NodeId nodeId, String challenge, byte[] publicKey, Long heldOfferIssuedAtMs) {
    /** A connection just opened, its challenge {@code challenge}. */
    public static Connection opened(String challenge) {
      return new Connection(Phase.AWAIT_AUTH, null, challenge, null, null);
    }
  }

  /** What one frame means for its connection. */
  public sealed interface Step {}

  /** The connection must close: an {@code error} frame with {@code code}, then close code 1008. */
  public record Violation(String code, String message) implements Step {}

  /**
   * The node proved its key: it may be admitted (the caller's policy decides), and then moves to
   * {@link Phase#AWAIT_OFFER}.
   */
  public record Authenticated(NodeId nodeId, byte[] publicKey, Set<ApiKind> apis, String agent)
      implements Step {}

  /**
   * A valid offer, newer than the one held.
   *
   * @param operator whom admission counts the node under; set on the first offer only (the
   *     connection moves to {@link Phase#LIVE} once admitted)
   */
  public record Offered(NodeOffer offer, SignedOffer signed, String operator) implements Step {}

  /** A frame the connection takes no action on (an older offer, a type this version ignores). */
  public record Ignored(String why) implements Step {}

  /** A heartbeat: the node is alive and says it runs {@code runningJobs}. */
  public record Heartbeat(int runningJobs) implements Step {}

  /** A frame of one of its jobs, for whoever waits on the job. */
  public record JobOutput(Frame.JobFrame frame) implements Step {}

  /** A job's proof, for whoever settles the job (its signature is checked there). */
  public record ProofOf(String jobId, SignedProof proof) implements Step {}

  /**
   * How long a {@link #connectChallenge} is good for, either side of its time: where no frame can
   * come before the connection exists (API Gateway's {@code $connect}), the node signs the endpoint
   * and the time instead of a nonce the gateway sent.
   */
  public static final long CONNECT_WINDOW_MS = 60_000;

  /**
   * What a node signs to open a connection to {@code endpoint} (the WebSocket API's domain and
   * stage) at {@code issuedAtMs}: good for that endpoint and {@link #CONNECT_WINDOW_MS} around that
   * time, and once (the receiver keeps the signatures it saw for as long).
   */
  public static String connectChallenge(String endpoint, long issuedAtMs) {
    return "connect " + endpoint + " " + issuedAtMs;
  }

  /**
   * What a polling node signs for one request to {@code endpoint} (host and path of the exchange
   * URL) in its {@code session}, at {@code issuedAtMs}, carrying a body whose SHA-256 is {@code
   * bodySha256} (lower-case hex): good for that endpoint, session and body, {@link
   * #CONNECT_WINDOW_MS} around that time, and once. Polling nodes have no connection, so every
   * request proves the key (docs/node-protocol.md, "Polling").
   */
  public static String pollChallenge(
      String endpoint, String session, long issuedAtMs, String bodySha256) {
    return "poll " + endpoint + " " + session + " " + issuedAtMs + " " + bodySha256;
  }

  /** What {@code frame} means on {@code connection}. */
  public static Step next(Connection connection, Frame frame) {
    return switch (connection.phase()) {
      case AWAIT_AUTH -> auth(connection, frame);
      case AWAIT_OFFER, LIVE -> live(connection, frame);
    };
  }

  private static Step auth(Connection connection, Frame frame) {
    if (!(frame instanceof Frame.Auth auth)) {
      return new Violation("auth_required", "the first frame must be 'auth'");
    }
    if (auth.protocol() != Frame.PROTOCOL_VERSION) {
      return new Violation(
          "unsupported_protocol",
          "this gateway speaks protocol " + Frame.PROTOCOL_VERSION + ", not " + auth.protocol());
    }
    byte[] key;
    byte[] signature;
    try {
      key = B64.decode(auth.publicKey());
      signature = B64.decode(auth.signature());
    } catch (IllegalArgumentException e) {
      return new Violation("bad_auth", e.getMessage());
    }
    if (key.length != 32 || !NodeId.of(key).equals(auth.nodeId())) {
      return new Violation("bad_auth", "node_id does not derive from public_key");
    }
    if (!NodeKey.verifyChallenge(key, connection.challenge(), signature)) {
      return new Violation("bad_auth", "signature does not verify");
    }
    return new Authenticated(auth.nodeId(), key, apis(auth.apis()), auth.agent());
  }

  /** The APIs a node's auth names; names this version does not know are left out. */
  static Set<ApiKind> apis(List<String> names) {
    Set<ApiKind> out = EnumSet.of(ApiKind.CHAT);
    if (names != null && names.contains(ApiKind.RESPONSES.wire())) {
      out.add(ApiKind.RESPONSES);
    }
    return Set.copyOf(out);
  }

  private static Step live(Connection connection, Frame frame) {
    boolean live = connection.phase() == Phase.LIVE;
    return switch (frame) {
      case Frame.Offer o -> offer(connection, o);
      case Frame.Heartbeat h -> new Heartbeat(h.activeJobs());
      case Frame.JobFrame f when live -> new JobOutput(f);
      case Frame.Proof p when live -> proof(p);
      case Frame.Unknown u -> new Ignored("a frame type this version ignores");
      default -> new Violation("unexpected_frame", "frame not allowed now");
    };
  }

  private static Step offer(Connection connection, Frame.Offer frame) {
    SignedOffer signed = new SignedOffer(frame.offer(), frame.signature());
    Verification<NodeOffer> verified = signed.verify(connection.publicKey());
    if (!verified.valid()) {
      return new Violation("bad_offer", verified.reason());
    }
    NodeOffer parsed = verified.value();
    Long held = connection.heldOfferIssuedAtMs();
    if (held != null && parsed.issuedAtMs() < held) {
      return new Ignored("an older offer than the one held");
    }
    if (connection.phase() != Phase.AWAIT_OFFER) {
      return new Offered(parsed, signed, null);
    }
    try {
      return new Offered(parsed, signed, OfferOperator.of(frame.offer(), connection.nodeId()));
    } catch (IllegalArgumentException e) {
      return new Violation("bad_offer", e.getMessage());
    }
  }

  private static Step proof(Frame.Proof frame) {
    return new ProofOf(frame.jobId(), new SignedProof(frame.proof(), frame.signature()));
  }
}
