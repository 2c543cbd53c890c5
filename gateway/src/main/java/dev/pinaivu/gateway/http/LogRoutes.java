package dev.pinaivu.gateway.http;

import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.translog.LogQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * The public transparency-log routes (docs/transparency-log.md §11). No API key: like a Certificate
 * Transparency log, anyone may audit it, and it holds only receipts, which carry no account, key or
 * prompt.
 */
public final class LogRoutes {
  private final LogQueries log;

  public LogRoutes(LogQueries log) {
    this.log = log;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/log/checkpoint", this::checkpoint);
    routes.get("/v1/log/proof/inclusion", this::inclusion);
    routes.get("/v1/log/proof/consistency", this::consistency);
    routes.get("/v1/log/entries/{index}", this::entry);
  }

  private void checkpoint(Context ctx) {
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(log.checkpoint().getBytes(StandardCharsets.UTF_8));
  }

  private void inclusion(Context ctx) {
    json(ctx, Json.bytes(log.inclusion(ctx.queryParam("index"), ctx.queryParam("tree_size"))));
  }

  private void consistency(Context ctx) {
    json(ctx, Json.bytes(log.consistency(ctx.queryParam("first"), ctx.queryParam("second"))));
  }

  private void entry(Context ctx) {
    json(ctx, Json.bytes(log.entry(ctx.pathParam("index"))));
  }

  private static void json(Context ctx, byte[] body) {
    ctx.contentType("application/json");
    ctx.result(body);
  }
}
