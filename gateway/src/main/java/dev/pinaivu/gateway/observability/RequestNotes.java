package dev.pinaivu.gateway.observability;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.node.NodeId;
import io.javalin.http.Context;

/**
 * What the handling of one HTTP request learned, for its access-log line and its metrics: kept on
 * the request's {@link Context} from the first handler on. The chat route's sink fills in the key
 * id, model, nodes tried and the first output; other routes leave them empty.
 */
public final class RequestNotes {
  private static final String ATTRIBUTE = "pinaivu.request-notes";

  private final long startedNanos = System.nanoTime();
  private volatile String requestId;
  private volatile String keyId;
  private volatile String model;
  private volatile Boolean stream;
  private volatile String nodeId;
  private volatile int attempts;
  private volatile long firstOutputNanos = -1;

  private RequestNotes() {}

  /**
   * Starts the notes of a request (a before-handler: the clock of its duration and TTFT starts
   * here) and gives it a request id, which the chat route replaces with the one it serves under.
   */
  public static void start(Context ctx) {
    RequestNotes notes = of(ctx);
    RequestId id = RequestId.next();
    notes.requestId(id);
    ctx.header("x-request-id", id.value());
  }

  /** The notes of {@code ctx}'s request, made on first use. */
  public static RequestNotes of(Context ctx) {
    RequestNotes notes = ctx.attribute(ATTRIBUTE);
    if (notes == null) {
      notes = new RequestNotes();
      ctx.attribute(ATTRIBUTE, notes);
    }
    return notes;
  }

  public void requestId(RequestId id) {
    this.requestId = id.value();
  }

  public void keyId(String id) {
    this.keyId = id;
  }

  public void model(String requested, boolean streamed) {
    this.model = requested;
    this.stream = streamed;
  }

  /** Attempt {@code attempt} goes to {@code node}; the last one is the node that answered. */
  public void attempt(NodeId node, int attempt) {
    this.nodeId = node.value();
    this.attempts = attempt;
  }

  /** The first byte of the answer reached the client (only the first call counts). */
  public void firstOutput() {
    if (firstOutputNanos < 0) {
      firstOutputNanos = System.nanoTime();
    }
  }

  /** The id this request is answered under (its {@code x-request-id}). */
  public String requestId() {
    return requestId;
  }

  String keyId() {
    return keyId;
  }

  String model() {
    return model;
  }

  Boolean stream() {
    return stream;
  }

  String nodeId() {
    return nodeId;
  }

  int attempts() {
    return attempts;
  }

  /** Ms from the request's first handler to its first output; null when none was sent. */
  Double ttftMs() {
    long first = firstOutputNanos;
    return first < 0 ? null : (first - startedNanos) / 1e6;
  }
}
