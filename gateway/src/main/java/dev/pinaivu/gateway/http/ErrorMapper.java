package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.json.Json;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where outcomes become HTTP statuses and OpenAI error bodies {@code {"error":
 * {message, type, param, code}}}. Unknown failures are logged and become a generic 500.
 */
public final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static int status(ErrorKind kind) {
    return switch (kind) {
      case INVALID_REQUEST -> 400;
      case AUTHENTICATION -> 401;
      case PERMISSION -> 403;
      case NOT_FOUND -> 404;
      case BODY_TOO_LARGE -> 413;
      case UNPARSEABLE_BODY -> 422;
      case RATE_LIMITED, INSUFFICIENT_QUOTA -> 429;
      case INTERNAL -> 500;
      case UPSTREAM -> 502;
      case NO_CAPACITY -> 503;
    };
  }

  public static ObjectNode body(ApiException e) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", e.getMessage());
    error.put("type", e.kind().type());
    error.put("param", e.param());
    error.put("code", e.code());
    return root;
  }

  /** Marks responses whose error body is ours, so the 404/405 fallbacks leave them alone. */
  static final String WRITTEN = "pinaivu.error-written";

  static void write(Context ctx, ApiException e) {
    ctx.attribute(WRITTEN, Boolean.TRUE);
    e.headers().forEach(ctx::header);
    ctx.status(status(e.kind()));
    ctx.contentType("application/json");
    ctx.result(Json.bytes(body(e)));
  }

  static void handle(ApiException e, Context ctx) {
    write(ctx, e);
  }

  static void handleUnexpected(Exception e, Context ctx) {
    log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    write(
        ctx,
        new ApiException(
            ErrorKind.INTERNAL,
            "The server had an error while processing your request.",
            null,
            "internal_error"));
  }
}
