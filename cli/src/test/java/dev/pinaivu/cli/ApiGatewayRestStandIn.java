package dev.pinaivu.cli;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinaivu.functions.runtime.RuntimeApiStandIn;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Test stand-in for an API Gateway REST API stage whose {@code /v1/chat/completions} integration
 * streams ({@code responseTransferMode: STREAM}), on loopback, not AWS: each request becomes a REST
 * proxy event handed to the function through the Runtime API stand-in, and the function's streamed
 * response is read as API Gateway reads it (the JSON prelude up to eight NUL bytes gives the status
 * and headers, the rest is the body) and written to the client chunk by chunk as it arrives.
 */
final class ApiGatewayRestStandIn implements AutoCloseable {
  private static final ObjectMapper EVENTS = new ObjectMapper();
  private static final byte[] DELIMITER = new byte[8];

  private final Javalin app;
  private final RuntimeApiStandIn runtimeApi;

  /** A buffered Lambda proxy integration: the function called with the event, its answer sent. */
  @FunctionalInterface
  interface Buffered {
    APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event);
  }

  ApiGatewayRestStandIn(RuntimeApiStandIn runtimeApi) {
    this(runtimeApi, Map.of());
  }

  /**
   * @param buffered POST routes with a buffered integration (e.g. the polling nodes' exchange),
   *     each calling its function directly with the proxy event
   */
  ApiGatewayRestStandIn(RuntimeApiStandIn runtimeApi, Map<String, Buffered> buffered) {
    this.runtimeApi = runtimeApi;
    this.app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.concurrency.useVirtualThreads = true;
                  cfg.routes.post("/v1/chat/completions", this::invoke);
                  cfg.routes.post("/v1/responses", this::invoke);
                  buffered.forEach((path, fn) -> cfg.routes.post(path, ctx -> buffered(ctx, fn)));
                })
            .start("127.0.0.1", 0);
  }

  private void buffered(Context ctx, Buffered fn) {
    APIGatewayProxyRequestEvent event = event(ctx);
    Map<String, String> query = new HashMap<>();
    ctx.queryParamMap().forEach((k, v) -> query.put(k, v.getFirst()));
    event.setQueryStringParameters(query);
    APIGatewayProxyResponseEvent response = fn.handle(event);
    ctx.status(response.getStatusCode());
    if (response.getHeaders() != null) {
      response.getHeaders().forEach(ctx::header);
    }
    ctx.result(response.getBody() == null ? "" : response.getBody());
  }

  /** The OpenAI SDK's base URL. */
  String baseUrl() {
    return "http://127.0.0.1:" + app.port() + "/v1";
  }

  private void invoke(Context ctx) throws Exception {
    APIGatewayProxyRequestEvent event = event(ctx);
    String invocation = UUID.randomUUID().toString();
    runtimeApi.invoke(invocation, EVENTS.writeValueAsBytes(event), Map.of());
    relay(ctx, invocation);
  }

  /** The REST proxy event API Gateway makes of the request (stage {@code prod}). */
  private static APIGatewayProxyRequestEvent event(Context ctx) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setResource(ctx.path());
    event.setPath(ctx.path());
    event.setHttpMethod("POST");
    Map<String, String> headers = new HashMap<>();
    Map<String, List<String>> multi = new HashMap<>();
    ctx.headerMap()
        .forEach((k, v) -> {
          headers.put(k, v);
          multi.put(k, List.of(v));
        });
    event.setHeaders(headers);
    event.setMultiValueHeaders(multi);
    event.setBody(ctx.body());
    event.setIsBase64Encoded(false);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setStage("prod");
    context.setRequestId(UUID.randomUUID().toString());
    context.setHttpMethod("POST");
    context.setResourcePath(ctx.path());
    context.setPath(ctx.path());
    context.setDomainName(ctx.host() == null ? "127.0.0.1" : ctx.host().replaceFirst(":\\d+$", ""));
    event.setRequestContext(context);
    return event;
  }

  /** The function's streamed response, read as API Gateway reads it, to the client. */
  private void relay(Context ctx, String invocation) throws Exception {
    RuntimeApiStandIn.Posted posted =
        runtimeApi.response(invocation, java.time.Duration.ofSeconds(30));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    OutputStream out = null;
    while (true) {
      byte[] chunk = posted.chunks.poll(50, TimeUnit.MILLISECONDS);
      if (chunk == null) {
        if (posted.body.isDone() && posted.chunks.isEmpty()) {
          break;
        }
        continue;
      }
      if (out == null) {
        head.writeBytes(chunk);
        byte[] sofar = head.toByteArray();
        int end = delimiter(sofar);
        if (end < 0) {
          continue; // the prelude is not whole yet
        }
        JsonNode prelude = EVENTS.readTree(Arrays.copyOfRange(sofar, 0, end));
        ctx.status(prelude.path("statusCode").asInt());
        prelude
            .path("headers")
            .properties()
            .forEach(h -> ctx.header(h.getKey(), h.getValue().asText()));
        out = ctx.res().getOutputStream();
        out.write(sofar, end + DELIMITER.length, sofar.length - end - DELIMITER.length);
      } else {
        out.write(chunk);
      }
      out.flush();
    }
    if (out == null) {
      ctx.status(502).result("{\"message\": \"Internal server error\"}"); // no prelude: as AWS
    }
  }

  private static int delimiter(byte[] bytes) {
    for (int i = 0; i + DELIMITER.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + DELIMITER.length, DELIMITER, 0, DELIMITER.length)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    app.stop();
  }
}
