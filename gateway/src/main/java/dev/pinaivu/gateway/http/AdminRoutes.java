package dev.pinaivu.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.IssuedKey;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.Ulid;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.json.JsonSyntax;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.money.Usd;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.util.Locale;

/**
 * The operator's {@code /admin/v1} routes: issue, list and revoke keys, credit and read accounts.
 * Every route needs the {@link AdminToken}; client keys never work here, and the admin token never
 * works on {@code /v1}. The same use cases back {@code ./pinaivu keys} and {@code accounts}.
 */
public final class AdminRoutes {
  private final AdminToken token;
  private final KeyIssuer keys;
  private final KeySpend spend;
  private final Ledger ledger;
  private final String defaultAccount;
  private final RequestBody requestBody;

  /**
   * @param defaultAccount the account of keys created without one
   */
  public AdminRoutes(
      AdminToken token,
      KeyIssuer keys,
      KeySpend spend,
      Ledger ledger,
      String defaultAccount,
      long maxBodyBytes,
      Duration bodyTimeout) {
    this.token = token;
    this.keys = keys;
    this.spend = spend;
    this.ledger = ledger;
    this.defaultAccount = defaultAccount;
    this.requestBody = new RequestBody(maxBodyBytes, bodyTimeout);
  }

  public void register(RoutesConfig routes) {
    routes.post("/admin/v1/keys", guarded(this::createKey));
    routes.get("/admin/v1/keys", guarded(this::listKeys));
    routes.delete("/admin/v1/keys/{id}", guarded(this::revokeKey));
    routes.get("/admin/v1/accounts/{id}", guarded(this::account));
    routes.post("/admin/v1/accounts/{id}/credit", guarded(this::credit));
  }

  private Handler guarded(Handler handler) {
    return ctx -> {
      token.check(ctx.header("Authorization"));
      handler.handle(ctx);
    };
  }

  private void createKey(Context ctx) {
    IssuedKey issued = keys.issue(KeyJson.parse(body(ctx), defaultAccount));
    ObjectNode out = KeyJson.describe(issued.record(), 0);
    out.put("key", issued.key().reveal());
    ctx.header("Cache-Control", "no-store");
    json(ctx, 201, out);
  }

  private void listKeys(Context ctx) {
    ObjectNode list = Json.object();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    keys.list().forEach(k -> data.add(KeyJson.describe(k, spend.spentMicros(k.id()))));
    json(ctx, 200, list);
  }

  private void revokeKey(Context ctx) {
    String id = ctx.pathParam("id");
    KeyIssuer.Revocation result = keys.revoke(id);
    if (result == KeyIssuer.Revocation.UNKNOWN_KEY) {
      throw new ApiException(
          ErrorKind.NOT_FOUND, "No API key with id '" + id + "'.", null, "key_not_found");
    }
    ObjectNode out = Json.object();
    out.put("object", "api_key.revoked");
    out.put("id", id);
    out.put("revoked", true);
    out.put("already_revoked", result == KeyIssuer.Revocation.ALREADY_REVOKED);
    json(ctx, 200, out);
  }

  private void account(Context ctx) {
    AccountId account = account(ctx.pathParam("id"));
    json(ctx, 200, describe(account));
  }

  private void credit(Context ctx) {
    AccountId account = account(ctx.pathParam("id"));
    JsonNode body = body(ctx);
    JsonNode amount = body.get("amount_usd");
    if (amount == null || amount.isNull()) {
      throw ApiException.missing("amount_usd");
    }
    long micros = KeyJson.dollars("amount_usd", amount);
    if (micros <= 0) {
      throw ApiException.invalid("amount_usd", "'amount_usd' must be more than 0.");
    }
    JsonNode ref = body.get("reference");
    if (ref != null && !ref.isNull() && !ref.isTextual()) {
      throw ApiException.invalidType("reference", "a string");
    }
    String reference = ref == null || ref.isNull() ? "admin-" + Ulid.next() : ref.textValue();
    TopUp topUp;
    try {
      topUp = new TopUp(account, micros, reference);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("reference", e.getMessage());
    }
    TopUpResult result;
    try {
      result = ledger.credit(topUp);
    } catch (LedgerConflictException e) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST, e.getMessage(), "reference", "reference_conflict");
    }
    ObjectNode out = describe(account);
    out.put("object", "account.credit");
    out.put("amount_usd", Usd.format(topUp.amountMicros()));
    out.put("reference", reference);
    out.put("status", result.status().name().toLowerCase(Locale.ROOT));
    json(ctx, 200, out);
  }

  private ObjectNode describe(AccountId account) {
    ObjectNode out = Json.object();
    out.put("object", "account");
    out.put("id", account.value());
    out.put("balance_usd", Usd.format(ledger.balance(account)));
    return out;
  }

  private static AccountId account(String id) {
    try {
      return AccountId.client(id);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          ErrorKind.NOT_FOUND,
          "'" + id + "' is not a client account (acct_...).",
          null,
          "account_not_found");
    }
  }

  private JsonNode body(Context ctx) {
    try {
      JsonNode body = Json.parse(requestBody.read(ctx));
      if (body == null || !body.isObject()) {
        throw new ApiException(
            ErrorKind.INVALID_REQUEST,
            "The request body must be a JSON object.",
            null,
            "invalid_type");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ErrorKind.UNPARSEABLE_BODY,
          "We could not parse the JSON body of your request " + JsonSyntax.describe(e) + ".",
          null,
          "invalid_json");
    }
  }

  private static void json(Context ctx, int status, Object body) {
    JsonBody.write(ctx, status, body);
  }
}
