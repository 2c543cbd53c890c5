package dev.pinaivu.gateway.http;

import dev.pinaivu.core.usage.AccountQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The routes about what a caller has used and can prove: {@code /v1/usage}, {@code
 * /v1/receipts/{request_id}} and {@code /v1/attestation}, each mapping the request to its use case
 * in {@link AccountQueries} and back.
 */
public final class AccountRoutes {
  private final AccountQueries queries;

  public AccountRoutes(AccountQueries queries) {
    this.queries = queries;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/usage", this::usage);
    routes.get("/v1/receipts/{id}", this::receipt);
    routes.get("/v1/attestation", this::attestation);
  }

  private void usage(Context ctx) {
    JsonBody.write(ctx, 200, queries.usage(ctx.header("Authorization"), ctx.queryParamMap()));
  }

  private void receipt(Context ctx) throws InterruptedException {
    ctx.contentType("application/json");
    ctx.result(queries.receipt(ctx.header("Authorization"), ctx.pathParam("id")));
  }

  private void attestation(Context ctx) {
    JsonBody.write(ctx, 200, queries.attestation());
  }
}
