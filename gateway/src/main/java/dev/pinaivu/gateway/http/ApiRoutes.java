package dev.pinaivu.gateway.http;

import dev.pinaivu.core.chat.ChatCompletionService;
import dev.pinaivu.core.chat.ChatSink;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.models.ModelCatalog;
import dev.pinaivu.core.responses.ResponsesService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;

/** The public {@code /v1} routes: each maps the HTTP request to a use case and back. */
public final class ApiRoutes {
  private final ChatCompletionService chat;
  private final ResponsesService responses;
  private final ModelCatalog models;
  private final RequestBody body;

  /**
   * @param bodyTimeout the time a request has to send its whole body
   */
  public ApiRoutes(
      ChatCompletionService chat, ModelCatalog models, long maxBodyBytes, Duration bodyTimeout) {
    this.chat = chat;
    this.responses = new ResponsesService(chat);
    this.models = models;
    this.body = new RequestBody(maxBodyBytes, bodyTimeout);
  }

  public void register(RoutesConfig routes) {
    routes.post("/v1/chat/completions", ctx -> serve(ctx, chat::complete));
    routes.post("/v1/responses", ctx -> serve(ctx, responses::create));
    routes.get("/v1/models", ctx -> json(ctx, models.list(auth(ctx))));
    routes.get("/v1/models/<id>", ctx -> json(ctx, models.get(auth(ctx), ctx.pathParam("id"))));
    routes.exception(ApiException.class, ErrorMapper::handle);
    routes.exception(Exception.class, ErrorMapper::handleUnexpected);
    routes.error(404, ctx -> unmatched(ctx, ErrorKind.NOT_FOUND, "Unknown request URL: "));
    routes.error(405, ctx -> unmatched(ctx, ErrorKind.INVALID_REQUEST, "Method not allowed: "));
  }

  /** A use case that answers one request body into a sink: chat completions, responses. */
  @FunctionalInterface
  private interface Completion {
    void serve(String authorization, byte[] body, ChatSink sink) throws InterruptedException;
  }

  private void serve(Context ctx, Completion completion) throws InterruptedException {
    byte[] request = body.read(ctx);
    // stopped before the handler returns, as Jetty then reads the connection again
    try (ClientDisconnect disconnect = ClientDisconnect.of(ctx)) {
      HttpChatSink sink = new HttpChatSink(ctx, disconnect);
      try {
        completion.serve(auth(ctx), request, sink);
      } catch (ApiException e) {
        if (!sink.started()) {
          throw e; // mapped to its status once, by ErrorMapper
        }
        sink.failStarted(e); // keep-alives sent a 200 already (ADR 23)
      }
    }
  }

  private static String auth(Context ctx) {
    return ctx.header("Authorization");
  }

  private static void json(Context ctx, Object body) {
    JsonBody.write(ctx, 200, body);
  }

  /** 404/405 for paths no route matched; responses that already carry a body are left alone. */
  private static void unmatched(Context ctx, ErrorKind kind, String message) {
    if (ctx.attribute(ErrorMapper.WRITTEN) != null) {
      return;
    }
    int status = ctx.statusCode();
    ErrorMapper.write(
        ctx,
        new ApiException(
            kind, message + ctx.method() + " " + ctx.path() + ".", null, "unknown_url"));
    ctx.status(status);
  }
}
