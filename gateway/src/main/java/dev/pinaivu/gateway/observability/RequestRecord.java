package dev.pinaivu.gateway.observability;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;

/**
 * One answered HTTP request as the access log and the metrics see it. {@code route} is the matched
 * route's template ({@code /v1/models/{id}}), never the raw path, so that neither a log reader nor
 * a label set learns what a client put in a URL.
 *
 * @param model null when the request named none (or is not a chat completion)
 * @param keyId the API key's id ({@code key_...}), never the key; null before authentication
 * @param ttftMs ms from the request's arrival to the first byte of its answer; null when none
 * @param nodeId the node of the last attempt; null when none was dispatched
 */
record RequestRecord(
    String requestId,
    String method,
    String route,
    int status,
    String model,
    Boolean stream,
    String keyId,
    double durationMs,
    Double ttftMs,
    String nodeId,
    int attempts) {
  static final String UNMATCHED = "unmatched";

  static RequestRecord of(Context ctx, double durationMs) {
    RequestNotes notes = RequestNotes.of(ctx);
    return new RequestRecord(
        notes.requestId(),
        ctx.method().name(),
        route(ctx),
        ctx.statusCode(),
        notes.model(),
        notes.stream(),
        notes.keyId(),
        durationMs,
        notes.ttftMs(),
        notes.nodeId(),
        notes.attempts());
  }

  private static String route(Context ctx) {
    try {
      // the route that served it, not the last handler run (an after handler, e.g. CORS's)
      Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint != null && endpoint.method.isHttpMethod() ? endpoint.path : UNMATCHED;
    } catch (RuntimeException e) {
      return UNMATCHED; // no route matched (404, 405)
    }
  }
}
