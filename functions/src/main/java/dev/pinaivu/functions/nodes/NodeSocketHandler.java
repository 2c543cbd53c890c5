package dev.pinaivu.functions.nodes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.core.protocol.ProtocolException;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.reputation.NodeAdmission;
import dev.pinaivu.core.reputation.NodeConduct;
import dev.pinaivu.core.reputation.Reputation;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import dev.pinaivu.functions.store.DynamoDbNodeConnections.Opened;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes' side of the serverless deployment: one function behind the API Gateway WebSocket API's
 * {@code $connect}, {@code $default} and {@code $disconnect} routes, each invocation one event,
 * deciding by the same rules as the local gateway's session ({@link NodeProtocol}) and keeping what
 * it learns in the shared registry (ADR 21, 27).
 *
 * <ul>
 *   <li>{@code $connect}: no frame can come before the connection exists, so the node proves its
 *       key in headers: {@value #NODE_ID}, {@value #PUBLIC_KEY}, {@value #ISSUED_AT} and {@value
 *       #SIGNATURE} (over {@link NodeProtocol#connectChallenge} for this endpoint and time), with
 *       {@value #PROTOCOL} and {@value #APIS}. A signature is good for a minute around its time and
 *       once. The admission policy's allowlist and minimum reputation apply as locally; a refused
 *       connection is answered 401 or 403 and never opens.
 *   <li>{@code $default}: the node's frames. Its first offer joins the registry and is answered
 *       with {@code welcome} (heartbeat interval, the coordinator key tokens are signed with);
 *       later offers and heartbeats update it. A violation is answered with an {@code error} frame
 *       and the connection is closed. Job frames and proofs go, as the node wrote them, to the
 *       relay connection of the chat invocation waiting for the job, when the job's route names
 *       this node on this connection (others are dropped, as frames of unknown jobs are locally); a
 *       relay that is gone gets the node a {@code cancel}.
 *   <li>{@code $disconnect}: the node leaves the registry with its slots, and the relay of each job
 *       it was running is told {@code node_lost}.
 * </ul>
 *
 * A relay connection (a chat invocation's, ADR 27) proves the relay secret at {@code $connect}
 * ({@link RelayAuth}); its {@code relay_hello} is answered with its connection id.
 *
 * <p>Per-address and per-operator connection limits are not applied here (they count one process's
 * connections, ADR 22).
 */
public final class NodeSocketHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
  static final String NODE_ID = "X-Pinaivu-Node-Id";
  static final String PUBLIC_KEY = "X-Pinaivu-Public-Key";
  static final String ISSUED_AT = "X-Pinaivu-Issued-At";
  static final String SIGNATURE = "X-Pinaivu-Signature";
  static final String PROTOCOL = "X-Pinaivu-Protocol";
  static final String APIS = "X-Pinaivu-Apis";

  private static final Logger log = LoggerFactory.getLogger(NodeSocketHandler.class);

  /** The registry's connection name of a WebSocket API connection. */
  static String connectionName(String connectionId) {
    return "ws/" + connectionId;
  }

  /** What the handler works with; the runtime's no-argument constructor builds it. */
  public record Parts(
      DynamoDbNodeConnections connections,
      NodeRegistry registry,
      ConductRecords conduct,
      ConductRules rules,
      NodeAdmission admission,
      Function<String, NodeLinks> links,
      Supplier<List<CoordinatorKey>> coordinatorKeys,
      long heartbeatIntervalMs,
      InstantSource clock,
      DynamoDbJobRoutes routes,
      Supplier<byte[]> relaySecret) {}

  private final Parts parts;

  /**
   * What the runtime calls, once per execution environment: the stores on the network table of
   * {@code PINAIVU_TABLE_PREFIX} ({@code PINAIVU_DYNAMODB_ENDPOINT} optional), the management API
   * of the stage each event names, heartbeats every {@value #HEARTBEAT_MS} ms.
   */
  public NodeSocketHandler() {
    this(NodeSocketEnvironment.parts(System.getenv()));
  }

  /** A handler over {@code parts}: for tests, and for compositions other than the runtime's. */
  public NodeSocketHandler(Parts parts) {
    this.parts = parts;
  }

  /** The heartbeat interval nodes are told, the local gateway's default. */
  public static final long HEARTBEAT_MS = 5_000;

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, Context context) {
    APIGatewayV2WebSocketEvent.RequestContext request = event.getRequestContext();
    String connectionId = request.getConnectionId();
    return switch (request.getRouteKey()) {
      case "$connect" -> connect(event, connectionId, endpoint(request));
      case "$disconnect" -> disconnect(connectionId, endpoint(request));
      default -> message(event, connectionId, endpoint(request));
    };
  }

  /** The stage's endpoint as a node names it, and as the management API is called. */
  static String endpoint(APIGatewayV2WebSocketEvent.RequestContext request) {
    return request.getDomainName() + "/" + request.getStage();
  }

  private APIGatewayV2WebSocketResponse connect(
      APIGatewayV2WebSocketEvent event, String connectionId, String endpoint) {
    long now = parts.clock().millis();
    Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
    if (header(headers, RelayAuth.SIGNATURE) != null) {
      return connectRelay(headers, connectionId, endpoint, now);
    }
    Proof proof =
        prove(
            headers,
            issuedAt -> NodeProtocol.connectChallenge(endpoint, issuedAt),
            now,
            "this signature opened a connection already");
    if (proof instanceof Proof.Refused r) {
      return refuse(r.status(), r.code(), r.message());
    }
    NodeProtocol.Authenticated who = ((Proof.Proved) proof).who();
    parts
        .connections()
        .open(new Opened(connectionId, who.nodeId(), who.publicKey(), who.apis(), now));
    log.info("node {} connected on {} ({})", who.nodeId(), connectionId, who.agent());
    return response(200, null);
  }

  /** What a node's key headers proved: the node, or why it is refused. */
  sealed interface Proof {
    record Proved(NodeProtocol.Authenticated who) implements Proof {}

    record Refused(int status, String code, String message) implements Proof {}
  }

  /**
   * Checks the node's key headers ({@value #NODE_ID}, {@value #PUBLIC_KEY}, {@value #ISSUED_AT},
   * {@value #SIGNATURE}, {@value #PROTOCOL}, {@value #APIS}) against {@code challenge} of their
   * time, as {@code $connect} and a polling node's every request do: within a minute of {@code
   * now}, signed by the key, admitted by the admission policy, and the signature not seen before
   * (it is claimed here; {@code replayed} says so otherwise). 401 or 403 otherwise.
   */
  Proof prove(
      Map<String, String> headers, LongFunction<String> challenge, long now, String replayed) {
    long issuedAt;
    Frame.Auth auth;
    try {
      issuedAt = Long.parseLong(header(headers, ISSUED_AT));
      String apis = header(headers, APIS);
      String agent = header(headers, "User-Agent");
      auth =
          new Frame.Auth(
              Integer.parseInt(header(headers, PROTOCOL)),
              NodeId.parse(header(headers, NODE_ID)),
              header(headers, PUBLIC_KEY),
              header(headers, SIGNATURE),
              agent == null ? "unknown" : agent,
              apis == null ? null : List.of(apis.split(",")));
    } catch (RuntimeException e) {
      return new Proof.Refused(401, "bad_auth", "the node's headers are missing or malformed");
    }
    if (Math.abs(now - issuedAt) > NodeProtocol.CONNECT_WINDOW_MS) {
      return new Proof.Refused(
          401, "bad_auth", "the signature's time is not within a minute of now");
    }
    NodeProtocol.Step step =
        NodeProtocol.next(NodeProtocol.Connection.opened(challenge.apply(issuedAt)), auth);
    if (step instanceof NodeProtocol.Violation v) {
      return new Proof.Refused(401, v.code(), v.message());
    }
    NodeProtocol.Authenticated who = (NodeProtocol.Authenticated) step;
    NodeAdmission.Verdict verdict = parts.admission().admit(who.nodeId(), reputation(who, now));
    if (!verdict.admitted()) {
      return new Proof.Refused(403, verdict.refusal().code(), verdict.message());
    }
    if (!parts.connections().claim(auth.signature(), now + 2 * NodeProtocol.CONNECT_WINDOW_MS)) {
      return new Proof.Refused(401, "bad_auth", replayed);
    }
    return new Proof.Proved(who);
  }

  /** A chat invocation's relay connection, proved by the relay secret (ADR 27). */
  private APIGatewayV2WebSocketResponse connectRelay(
      Map<String, String> headers, String connectionId, String endpoint, long now) {
    String signature = header(headers, RelayAuth.SIGNATURE);
    long issuedAt;
    try {
      issuedAt = Long.parseLong(header(headers, RelayAuth.ISSUED_AT));
    } catch (RuntimeException e) {
      return refuse(401, "bad_auth", "the relay headers are missing or malformed");
    }
    if (!RelayAuth.valid(parts.relaySecret().get(), endpoint, issuedAt, signature, now)) {
      return refuse(401, "bad_auth", "the relay signature is not the deployment's");
    }
    if (!parts.connections().claim(signature, now + 2 * NodeProtocol.CONNECT_WINDOW_MS)) {
      return refuse(401, "bad_auth", "this relay signature opened a connection already");
    }
    parts.connections().openRelay(connectionId, now);
    log.info("relay connected on {}", connectionId);
    return response(200, null);
  }

  private double reputation(NodeProtocol.Authenticated who, long now) {
    return parts
        .conduct()
        .find(who.nodeId())
        .map(r -> NodeConduct.of(parts.rules(), r).reputation(now))
        .orElseGet(() -> Reputation.fresh(now).score(now));
  }

  private APIGatewayV2WebSocketResponse message(
      APIGatewayV2WebSocketEvent event, String connectionId, String endpoint) {
    Optional<Opened> opened = parts.connections().find(connectionId);
    NodeLinks links = parts.links().apply(endpoint);
    if (opened.isEmpty()) {
      if (parts.connections().isRelay(connectionId)) {
        JobRelay.answerRelay(links, connectionId, event.getBody());
        return response(200, null);
      }
      links.close(connectionId); // not a connection $connect opened (or it expired)
      return response(410, "unknown connection");
    }
    receive(opened.get(), event.getBody(), links);
    return response(200, null);
  }

  /**
   * The frames of one message from the node on {@code opened} (lines of {@code body}), decided by
   * the node protocol: offers join or update the registry (the first answered with {@code
   * welcome}), heartbeats reach it, job frames and proofs go to their relays; a violation is
   * answered with an {@code error} frame and the connection is closed. Answers to the node go to
   * {@code links} under the connection's id, however the node is reached (its WebSocket API
   * connection, or a polling node's session, {@link NodePollHandler}).
   */
  void receive(Opened opened, String body, NodeLinks links) {
    List<String> lines = FrameCodec.lines(body == null ? "" : body);
    List<Frame> frames = new ArrayList<>(lines.size());
    try {
      for (String line : lines) {
        frames.add(FrameCodec.decode(line));
      }
    } catch (ProtocolException e) {
      violation(links, opened, "bad_frame", e.getMessage());
      return;
    }
    JobRelay.Batch relayed = new JobRelay(parts.routes()).batch(opened);
    for (int i = 0; i < frames.size(); i++) {
      Frame frame = frames.get(i);
      long now = parts.clock().millis();
      Optional<RegisteredNode> held = held(opened, now);
      NodeProtocol.Connection connection =
          new NodeProtocol.Connection(
              held.isPresent() ? NodeProtocol.Phase.LIVE : NodeProtocol.Phase.AWAIT_OFFER,
              opened.nodeId(),
              null,
              opened.publicKey(),
              held.map(n -> n.entry().offer().issuedAtMs()).orElse(null));
      switch (NodeProtocol.next(connection, frame)) {
        case NodeProtocol.Violation v -> {
          violation(links, opened, v.code(), v.message());
          return;
        }
        case NodeProtocol.Offered o -> offered(links, opened, o, held.isEmpty(), now);
        case NodeProtocol.Heartbeat h ->
            parts
                .registry()
                .heartbeat(
                    opened.nodeId(), connectionName(opened.connectionId()), h.runningJobs(), now);
        case NodeProtocol.JobOutput out -> relayed.add(out.frame().jobId(), lines.get(i));
        case NodeProtocol.ProofOf proof -> relayed.add(proof.jobId(), lines.get(i));
        case NodeProtocol.Ignored ignored ->
            log.debug("node {}: {}", opened.nodeId(), ignored.why());
        case NodeProtocol.Authenticated a -> {
          violation(links, opened, "unexpected_frame", "frame not allowed now");
          return;
        }
      }
    }
    relayed.send(links);
  }

  /** The node as the registry has it while this connection holds it. */
  private Optional<RegisteredNode> held(Opened opened, long now) {
    return parts
        .registry()
        .find(opened.nodeId(), now)
        .filter(n -> n.entry().connection().equals(connectionName(opened.connectionId())));
  }

  private void offered(
      NodeLinks links, Opened opened, NodeProtocol.Offered offer, boolean first, long now) {
    NodeEntry entry =
        new NodeEntry(
            opened.nodeId(),
            connectionName(opened.connectionId()),
            opened.publicKey(),
            opened.apis(),
            offer.signed(),
            offer.offer(),
            opened.connectedAtMs());
    if (!first) {
      parts.registry().offer(entry, now);
      return;
    }
    if (!parts.registry().join(entry, now)) {
      links.close(opened.connectionId()); // a connection that opened later holds the node
      return;
    }
    List<CoordinatorKey> keys = parts.coordinatorKeys().get();
    links.send(
        opened.connectionId(),
        new Frame.Welcome(
            opened.nodeId(),
            parts.heartbeatIntervalMs(),
            keys.isEmpty() ? null : keys.getFirst().toWire()));
    log.info("node {} offers {} model(s)", opened.nodeId(), offer.offer().models().size());
  }

  private static void violation(NodeLinks links, Opened opened, String code, String message) {
    log.warn(
        "closing node connection {} of {}: {} ({})",
        opened.connectionId(),
        opened.nodeId(),
        code,
        message);
    links.send(opened.connectionId(), new Frame.Error(code, message));
    links.close(opened.connectionId());
  }

  private APIGatewayV2WebSocketResponse disconnect(String connectionId, String endpoint) {
    parts
        .connections()
        .find(connectionId)
        .ifPresentOrElse(
            opened -> {
              parts.registry().leave(opened.nodeId(), connectionName(connectionId));
              log.info("node {} disconnected from {}", opened.nodeId(), connectionId);
              new JobRelay(parts.routes()).nodeLost(parts.links().apply(endpoint), opened);
            },
            () -> parts.connections().closeRelay(connectionId));
    parts.connections().close(connectionId);
    return response(200, null);
  }

  static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static APIGatewayV2WebSocketResponse refuse(int status, String code, String message) {
    log.info("refusing a node connection: {} ({})", code, message);
    return response(status, code + ": " + message);
  }

  private static APIGatewayV2WebSocketResponse response(int status, String body) {
    APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
    response.setStatusCode(status);
    response.setBody(body);
    return response;
  }
}
