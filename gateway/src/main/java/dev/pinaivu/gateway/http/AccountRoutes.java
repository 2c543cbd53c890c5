package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.auth.Permissions;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.billing.RequestSettler;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.usage.ReceiptLookup;
import dev.pinaivu.core.usage.UsageReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The routes about what a caller has used and can prove: {@code /v1/usage}, {@code
 * /v1/receipts/{request_id}} and {@code /v1/attestation} (the coordinator keys receipts are signed
 * with, and their attestation documents). Usage and receipts need the key's {@code usage} and
 * {@code receipts} scopes; the attestation is public.
 */
public final class AccountRoutes {
  /** A receipt is settled within moments of the response; a lookup waits this long for it. */
  static final Duration RECEIPT_WAIT = Duration.ofSeconds(2);

  private final Authenticator authenticator;
  private final UsageReport usage;
  private final ReceiptLookup receipts;
  private final RequestSettler settler;
  private final Supplier<List<CoordinatorKey>> coordinatorKeys;
  private final ReceiptEvidence evidence;

  /**
   * @param evidence adds the transparency-log proof to each receipt served
   */
  public AccountRoutes(
      Authenticator authenticator,
      UsageReport usage,
      ReceiptLookup receipts,
      RequestSettler settler,
      Supplier<List<CoordinatorKey>> coordinatorKeys,
      ReceiptEvidence evidence) {
    this.authenticator = authenticator;
    this.usage = usage;
    this.receipts = receipts;
    this.settler = settler;
    this.coordinatorKeys = coordinatorKeys;
    this.evidence = evidence;
  }

  public void register(RoutesConfig routes) {
    routes.get("/v1/usage", this::usage);
    routes.get("/v1/receipts/{id}", this::receipt);
    routes.get("/v1/attestation", this::attestation);
  }

  private void usage(Context ctx) {
    Caller caller = authenticator.authenticate(ctx.header("Authorization"));
    Permissions.require(caller, Scope.USAGE);
    JsonBody.write(ctx, 200, usage.report(caller.accountId(), ctx.queryParamMap()));
  }

  private void receipt(Context ctx) throws InterruptedException, JsonProcessingException {
    Caller caller = authenticator.authenticate(ctx.header("Authorization"));
    // before any lookup: a 403 must not tell whether the id exists
    Permissions.require(caller, Scope.RECEIPTS);
    String id = ctx.pathParam("id");
    String stored;
    try {
      stored = receipts.signedReceipt(caller.accountId(), id);
    } catch (ApiException notYet) {
      // settled moments after the response: wait for a settlement in progress, then look again
      settler.awaitPending(id, RECEIPT_WAIT);
      stored = receipts.signedReceipt(caller.accountId(), id);
    }
    SignedReceipt signed = Json.MAPPER.readValue(stored, SignedReceipt.class);
    json(ctx, Json.bytes(evidence.attach(signed)));
  }

  /** Public: anyone may fetch the keys to verify receipts with, like a JWKS endpoint. */
  private void attestation(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode keys = body.putArray("keys");
    for (CoordinatorKey key : coordinatorKeys.get()) {
      keys.add(Json.MAPPER.valueToTree(key.toWire()));
    }
    JsonBody.write(ctx, 200, body);
  }

  private static void json(Context ctx, byte[] body) {
    ctx.contentType("application/json");
    ctx.result(body);
  }
}
