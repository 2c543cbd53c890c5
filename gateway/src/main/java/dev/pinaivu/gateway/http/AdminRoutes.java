package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.admin.OperatorAdmin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;

/**
 * The operator's {@code /admin/v1} routes: issue, list and revoke keys, credit and read accounts.
 * Every route needs the {@link AdminToken}; client keys never work here, and the admin token never
 * works on {@code /v1}. Each maps the request to its use case in {@link OperatorAdmin} and back.
 */
public final class AdminRoutes {
  private final AdminToken token;
  private final OperatorAdmin admin;
  private final RequestBody requestBody;

  public AdminRoutes(
      AdminToken token, OperatorAdmin admin, long maxBodyBytes, Duration bodyTimeout) {
    this.token = token;
    this.admin = admin;
    this.requestBody = new RequestBody(maxBodyBytes, bodyTimeout);
  }

  public void register(RoutesConfig routes) {
    routes.post("/admin/v1/keys", guarded(this::createKey));
    routes.get("/admin/v1/keys", guarded(ctx -> json(ctx, 200, admin.listKeys())));
    routes.delete(
        "/admin/v1/keys/{id}",
        guarded(ctx -> json(ctx, 200, admin.revokeKey(ctx.pathParam("id")))));
    routes.get(
        "/admin/v1/accounts/{id}",
        guarded(ctx -> json(ctx, 200, admin.account(ctx.pathParam("id")))));
    routes.post(
        "/admin/v1/accounts/{id}/credit",
        guarded(ctx -> json(ctx, 200, admin.credit(ctx.pathParam("id"), body(ctx)))));
  }

  private Handler guarded(Handler handler) {
    return ctx -> {
      token.check(ctx.header("Authorization"));
      handler.handle(ctx);
    };
  }

  private void createKey(Context ctx) {
    ObjectNode out = admin.createKey(body(ctx));
    ctx.header("Cache-Control", "no-store"); // it holds the key's secret
    json(ctx, 201, out);
  }

  private JsonNode body(Context ctx) {
    return OperatorAdmin.parseBody(requestBody.read(ctx));
  }

  private static void json(Context ctx, int status, Object body) {
    JsonBody.write(ctx, status, body);
  }
}
