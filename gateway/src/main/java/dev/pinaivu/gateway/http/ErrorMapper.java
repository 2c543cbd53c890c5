package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.error.ErrorResponses;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.gateway.observability.RequestNotes;
import io.javalin.http.Context;
import org.eclipse.jetty.http.HttpStatus;
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
    return ErrorResponses.status(kind);
  }

  public static ObjectNode body(ApiException e) {
    return ErrorResponses.body(e);
  }

  /**
   * The status of an error Jetty found in a request's framing: its own 4xx; 400 for an HTTP version
   * it does not speak (505), which is the client's mistake too; 500 for anything else.
   */
  static int protocolStatus(int jettyStatus) {
    if (jettyStatus >= 400 && jettyStatus < 500) {
      return jettyStatus;
    }
    return jettyStatus == 505 ? 400 : 500;
  }

  /** The OpenAI error body for a framing error answered with {@code status}. */
  static ObjectNode protocolBody(int status, String jettyReason) {
    String reason = jettyReason == null ? HttpStatus.getMessage(status) : jettyReason;
    ApiException e =
        switch (status) {
          case 404 -> ApiException.notFound("Unknown request URL.");
          case 408 -> timeout();
          case 413 ->
              new ApiException(
                  ErrorKind.BODY_TOO_LARGE,
                  "The request is too large: " + reason + ".",
                  null,
                  "request_too_large");
          case 414 ->
              new ApiException(
                  ErrorKind.INVALID_REQUEST, "The request URL is too long.", null, "uri_too_long");
          case 431 ->
              new ApiException(
                  ErrorKind.INVALID_REQUEST,
                  "The request headers are too large.",
                  null,
                  "request_headers_too_large");
          case 500 -> internal();
          default -> badRequest(reason);
        };
    return body(e);
  }

  /** 400 {@code bad_request}: the HTTP message itself is malformed. */
  static ApiException badRequest(String reason) {
    return new ApiException(
        ErrorKind.INVALID_REQUEST,
        "The HTTP request is malformed: " + reason + ".",
        null,
        "bad_request");
  }

  /** 408 {@code request_timeout}: the request stopped arriving, or arrived too slowly. */
  static ApiException timeout() {
    return new ApiException(
        ErrorKind.REQUEST_TIMEOUT,
        "The request was not received in time; send it again.",
        null,
        "request_timeout");
  }

  private static ApiException internal() {
    return ErrorResponses.internal();
  }

  /** Marks responses whose error body is ours, so the 404/405 fallbacks leave them alone. */
  static final String WRITTEN = "pinaivu.error-written";

  static void write(Context ctx, ApiException e) {
    ctx.attribute(WRITTEN, Boolean.TRUE);
    e.headers().forEach(ctx::header);
    ctx.status(status(e.kind()));
    ctx.contentType("application/json");
    ObjectNode body = body(e);
    String id = RequestNotes.of(ctx).requestId();
    if (id != null) {
      body.put("request_id", id);
    }
    ctx.result(Json.bytes(body));
  }

  static void handle(ApiException e, Context ctx) {
    write(ctx, e);
  }

  static void handleUnexpected(Exception e, Context ctx) {
    log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    write(ctx, internal());
  }
}
