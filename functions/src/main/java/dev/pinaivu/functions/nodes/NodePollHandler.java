package dev.pinaivu.functions.nodes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.dispatch.JobLease;
import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueUnavailableException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.protocol.NodeProtocol;
import dev.pinaivu.functions.store.DynamoDbNodeConnections.Opened;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling nodes on the serverless deployment (ADR 39): {@code POST /v1/nodes/exchange} on the REST
 * API, one request at a time per call, no connection held. Each request proves the node's key in
 * headers (those of {@code $connect}, {@link NodeSocketHandler}, plus {@value #SESSION}), signed
 * over {@link NodeProtocol#pollChallenge} (the endpoint, the session, the time and the body's
 * SHA-256), good for a minute and once. Its body is the node's frames, decided exactly as {@code
 * $default} decides them ({@link NodeSocketHandler#receive}); the answer is the frames for the
 * node: the replies to this body ({@code welcome}, {@code error}) and what was queued for it (jobs,
 * their parts, cancels: {@link QueuedNodeLinks}), waiting up to {@code ?wait=} seconds (at most
 * {@value #MAX_WAIT_SECONDS}) for the queue when there is nothing to answer at once.
 *
 * <p>A session is the node's stand-in for a connection: its first offer joins the registry on it,
 * its heartbeats keep it live, and a node that stops polling falls out of routing when its
 * heartbeats stop (the registry's silence), its jobs failing over by their deadlines (ADR 23). A
 * frame taken from the queue is finished once the answer is built: a function that dies in between
 * leaves it to come back after its lease, and a node treats a job id it holds as already running.
 */
public final class NodePollHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  static final String SESSION = "X-Pinaivu-Session";
  static final int MAX_WAIT_SECONDS = 20;

  /** How long a taken frame is the taker's before it comes back, if never finished. */
  static final Duration LEASE = Duration.ofSeconds(30);

  private static final int BATCH = 10; // SQS's most per receive
  private static final Logger log = LoggerFactory.getLogger(NodePollHandler.class);

  private final NodeSocketHandler.Parts parts;
  private final JobQueue queue;
  private final NodeLinks relays;
  private final NodeSocketHandler protocol;

  /**
   * What the runtime calls, once per execution environment: the node socket function's stores, the
   * job queue ({@value NodeSocketEnvironment#JOB_QUEUE_PREFIX}) and the WebSocket API's management
   * API ({@code PINAIVU_NODE_SOCKET_URL}), where the relays are.
   */
  public NodePollHandler() {
    this(NodeSocketEnvironment.parts(System.getenv()), System.getenv());
  }

  private NodePollHandler(NodeSocketHandler.Parts parts, Map<String, String> env) {
    this(parts, NodeSocketEnvironment.jobQueue(env), NodeSocketEnvironment.relays(env));
  }

  /**
   * @param relays the chat invocations' relay connections (the WebSocket API's management API)
   */
  public NodePollHandler(NodeSocketHandler.Parts parts, JobQueue queue, NodeLinks relays) {
    this.parts = parts;
    this.queue = queue;
    this.relays = relays;
    this.protocol = new NodeSocketHandler(parts);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    long now = parts.clock().millis();
    byte[] body;
    try {
      body = body(event);
    } catch (IllegalArgumentException e) {
      return refuse(400, "bad_body", "the body is not valid base64");
    }
    APIGatewayProxyRequestEvent.ProxyRequestContext request = event.getRequestContext();
    if (request == null || request.getDomainName() == null || request.getPath() == null) {
      return refuse(400, "bad_request", "the event names no endpoint");
    }
    String endpoint = request.getDomainName() + request.getPath();
    String session = NodeSocketHandler.header(headers(event), SESSION);
    if (session == null || !session.matches("[A-Za-z0-9_-]{16,64}")) {
      return refuse(401, "bad_auth", SESSION + " is 16 to 64 of [A-Za-z0-9_-]");
    }
    String bodySha256 = Sha256.hex(body);
    NodeSocketHandler.Proof proof =
        protocol.prove(
            headers(event),
            issuedAt -> NodeProtocol.pollChallenge(endpoint, session, issuedAt, bodySha256),
            now,
            "this signature was used already");
    if (proof instanceof NodeSocketHandler.Proof.Refused r) {
      return refuse(r.status(), r.code(), r.message());
    }
    NodeProtocol.Authenticated who = ((NodeSocketHandler.Proof.Proved) proof).who();
    String connectionId = QueuedNodeLinks.sessionConnection(who.nodeId(), session);
    Opened opened =
        parts
            .connections()
            .find(connectionId)
            .orElseGet(() -> {
              Opened fresh =
                  new Opened(connectionId, who.nodeId(), who.publicKey(), who.apis(), now);
              parts.connections().open(fresh);
              log.info("node {} polls in session {} ({})", who.nodeId(), session, who.agent());
              return fresh;
            });
    NodeLinks links = new QueuedNodeLinks(relays, queue, parts.clock());
    Replies replies = new Replies(connectionId, links);
    String frames = new String(body, StandardCharsets.UTF_8);
    if (!frames.isBlank()) { // a poll that only waits carries none
      protocol.receive(opened, frames, replies);
    }
    if (replies.closed) {
      end(opened, links);
      return frames(replies.frames);
    }
    List<String> out = new ArrayList<>(replies.frames);
    List<JobLease> taken;
    try {
      Duration wait = out.isEmpty() ? waitOf(event, context) : Duration.ZERO;
      taken = queue.take(who.nodeId(), BATCH, wait, LEASE);
    } catch (JobQueueUnavailableException e) {
      log.warn("node {}: its queue did not answer: {}", who.nodeId(), e.getMessage());
      return frames(out); // its frames were decided; what is queued waits for the next poll
    }
    for (JobLease lease : taken) {
      out.add(lease.job().frame());
    }
    for (JobLease lease : taken) {
      queue.done(lease);
    }
    return frames(out);
  }

  /** A session the protocol closed ends as a WebSocket connection does at {@code $disconnect}. */
  private void end(Opened opened, NodeLinks links) {
    String name = NodeSocketHandler.connectionName(opened.connectionId());
    parts.registry().leave(opened.nodeId(), name);
    parts
        .connections()
        .find(opened.connectionId())
        .ifPresent(o -> {
          new JobRelay(parts.routes()).nodeLost(links, o);
        });
    parts.connections().close(opened.connectionId());
  }

  /**
   * How long to wait for queued frames: the request's {@code ?wait=}, within the function's time.
   */
  private static Duration waitOf(APIGatewayProxyRequestEvent event, Context context) {
    Map<String, String> query = event.getQueryStringParameters();
    String asked = query == null ? null : query.get("wait");
    long seconds;
    try {
      seconds = asked == null ? 0 : Long.parseLong(asked);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    seconds = Math.max(0, Math.min(MAX_WAIT_SECONDS, seconds));
    if (context != null) { // leave the function five seconds to answer
      seconds = Math.min(seconds, Math.max(0, context.getRemainingTimeInMillis() / 1000 - 5));
    }
    return Duration.ofSeconds(seconds);
  }

  private static byte[] body(APIGatewayProxyRequestEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    return Boolean.TRUE.equals(event.getIsBase64Encoded())
        ? Base64.getDecoder().decode(body)
        : body.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> headers(APIGatewayProxyRequestEvent event) {
    return event.getHeaders() == null ? Map.of() : event.getHeaders();
  }

  private static APIGatewayProxyResponseEvent frames(List<String> frames) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(Map.of("Content-Type", "application/x-ndjson", "Cache-Control", "no-store"))
        .withIsBase64Encoded(false)
        .withBody(frames.isEmpty() ? "" : String.join("\n", frames) + "\n");
  }

  private static APIGatewayProxyResponseEvent refuse(int status, String code, String message) {
    log.info("refusing a node's poll: {} ({})", code, message);
    ObjectNode body = Json.object();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
        .withIsBase64Encoded(false)
        .withBody(Json.MAPPER.valueToTree(body).toString());
  }

  /**
   * The links one request's frames are decided with: what goes to this session is the answer
   * (collected, in order); everything else goes where it goes.
   */
  private static final class Replies implements NodeLinks {
    private final String session;
    private final NodeLinks others;
    final List<String> frames = new ArrayList<>();
    boolean closed;

    Replies(String session, NodeLinks others) {
      this.session = session;
      this.others = others;
    }

    @Override
    public boolean sendText(String connectionId, String text) {
      if (!connectionId.equals(session)) {
        return others.sendText(connectionId, text);
      }
      frames.add(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
      return true;
    }

    @Override
    public void close(String connectionId) {
      if (connectionId.equals(session)) {
        closed = true;
      } else {
        others.close(connectionId);
      }
    }
  }
}
