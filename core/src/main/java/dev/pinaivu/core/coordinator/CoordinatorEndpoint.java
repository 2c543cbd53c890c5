package dev.pinaivu.core.coordinator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the coordinator protocol without the sockets: one request frame in, one
 * response frame out. Whatever the frame holds, it answers and never throws; a frame it cannot
 * attribute to a request id is answered with {@code "id": null} and the connection must close. It
 * answers the requests of a connection that has authenticated its parent ({@link ParentAuth}); the
 * handshake itself is the connection's, which never hands it {@code auth_*} ops.
 */
public final class CoordinatorEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorEndpoint.class);

  /**
   * The response body (JSON, without its length prefix) and whether to close the connection after
   * writing it.
   */
  public record Reply(byte[] body, boolean close) {}

  private final Coordinator coordinator;

  public CoordinatorEndpoint(Coordinator coordinator) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
  }

  /** Answers one frame; a frame that is not a request gets a refusal that closes. */
  public Reply handle(byte[] frame) {
    JsonNode request;
    try {
      request = parse(frame);
    } catch (BadFrameException e) {
      return refuse(e.getMessage());
    }
    return new Reply(answer(request), false);
  }

  /**
   * Reads a frame as a request: a JSON object with an integer {@code id}. Cheap, so a server can
   * call it on its reading thread and hand only {@link #answer} to another.
   *
   * @throws BadFrameException when it is not one; the connection must then close
   */
  public static JsonNode parse(byte[] frame) throws BadFrameException {
    JsonNode request;
    try {
      request = Json.parse(frame);
    } catch (JsonProcessingException | UncheckedIOException e) {
      throw new BadFrameException("the frame is not JSON");
    }
    if (request == null || !request.isObject()) {
      throw new BadFrameException("a request is a JSON object");
    }
    JsonNode id = request.get("id");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
      throw new BadFrameException("a request needs an integer id");
    }
    return request;
  }

  /** The response body for a request {@link #parse} accepted; never throws. */
  public byte[] answer(JsonNode request) {
    byte[] body = Json.bytes(answer(request.get("id"), request));
    if (body.length > Frames.MAX_BYTES) {
      LOG.error("coordinator response to {} exceeds the frame limit", request.get("id"));
      return Json.bytes(
          ResponseCodec.error(request.get("id"), WireError.INTERNAL, "response too large"));
    }
    return body;
  }

  /** The response body telling the caller the coordinator is going away. */
  public static byte[] unavailable(JsonNode request, String reason) {
    return Json.bytes(ResponseCodec.error(request.get("id"), WireError.UNAVAILABLE, reason));
  }

  /** The answer to a frame that cannot be read as a request: {@code "id": null}, then close. */
  public static Reply refuse(String reason) {
    ObjectNode body = ResponseCodec.error(NullNode.getInstance(), WireError.BAD_FRAME, reason);
    return new Reply(Json.bytes(body), true);
  }

  private ObjectNode answer(JsonNode id, JsonNode request) {
    String name = request.path("op").textValue();
    Optional<Op> op = Op.of(name);
    if (op.isEmpty()) {
      return ResponseCodec.error(id, WireError.UNKNOWN_OP, "unknown op " + Json.text(name));
    }
    try {
      return switch (op.get()) {
        case AUTH_BEGIN, AUTH_FINISH ->
            ResponseCodec.error(
                id, WireError.UNAUTHENTICATED, name + ": the connection authenticates only once");
        case IDENTITY -> ResponseCodec.identity(id, coordinator.identity());
        case DISPATCH ->
            ResponseCodec.dispatched(id, coordinator.dispatch(RequestCodec.dispatch(request)));
        case SETTLE -> ResponseCodec.settled(id, coordinator.settle(RequestCodec.settle(request)));
        case LOG_OPEN ->
            ResponseCodec.logOpened(id, coordinator.openLog(RequestCodec.openLog(request)));
        case LOG_RELOG ->
            ResponseCodec.relogged(id, coordinator.relog(RequestCodec.relog(request)));
        case LOG_CHECKPOINT -> {
          long[] range = RequestCodec.logCheckpoint(request);
          yield ResponseCodec.logHead(id, coordinator.logCheckpoint(range[0], range[1]));
        }
      };
    } catch (AlreadySettledException e) {
      return ResponseCodec.error(id, WireError.ALREADY_SETTLED, e.getMessage())
          .put("log_index", e.logIndex());
    } catch (IllegalArgumentException e) {
      return ResponseCodec.error(id, WireError.BAD_REQUEST, name + ": " + e.getMessage());
    } catch (CoordinatorUnavailableException e) {
      return ResponseCodec.error(id, WireError.UNAVAILABLE, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("coordinator request {} ({}) failed", id, name, e);
      return ResponseCodec.error(id, WireError.INTERNAL, "internal error");
    }
  }
}
