package dev.pinaivu.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.IssuedKey;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.Ulid;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.money.Usd;
import dev.pinaivu.core.openai.ChatRequestParser;
import java.util.Locale;

/**
 * The operator's use cases behind {@code /admin/v1} (the local gateway's bearer-token routes; on
 * AWS a function behind IAM): issue, list and revoke keys, read and credit accounts. Who may call
 * them is the entry point's to decide; request bodies come parsed, answers go out as JSON objects,
 * failures as {@link ApiException}s.
 */
public final class OperatorAdmin {
  private final KeyIssuer keys;
  private final KeySpend spend;
  private final Ledger ledger;
  private final String defaultAccount;

  /**
   * @param defaultAccount the account of keys created without one
   */
  public OperatorAdmin(KeyIssuer keys, KeySpend spend, Ledger ledger, String defaultAccount) {
    this.keys = keys;
    this.spend = spend;
    this.ledger = ledger;
    this.defaultAccount = defaultAccount;
  }

  /**
   * A request body as every entry point hands it to these use cases: a JSON object, read by the
   * rule of every {@code /v1} body ({@link ChatRequestParser#read}).
   *
   * @throws ApiException 422 when it is not UTF-8 JSON, 400 when it is JSON but not an object
   */
  public static JsonNode parseBody(byte[] body) {
    return ChatRequestParser.read(body).object();
  }

  /** {@code POST /admin/v1/keys}: the new key, its secret shown this once. */
  public ObjectNode createKey(JsonNode body) {
    IssuedKey issued = keys.issue(KeyJson.parse(body, defaultAccount));
    ObjectNode out = KeyJson.describe(issued.record(), 0);
    out.put("key", issued.key().reveal());
    return out;
  }

  /** {@code GET /admin/v1/keys}: every key with what it has spent, never a secret. */
  public ObjectNode listKeys() {
    ObjectNode list = Json.object();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    keys.list().forEach(k -> data.add(KeyJson.describe(k, spend.spentMicros(k.id()))));
    return list;
  }

  /** {@code DELETE /admin/v1/keys/{id}}: revoking twice is not an error. */
  public ObjectNode revokeKey(String id) {
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
    return out;
  }

  /** {@code GET /admin/v1/accounts/{id}}. */
  public ObjectNode account(String id) {
    return describe(clientAccount(id));
  }

  /**
   * {@code POST /admin/v1/accounts/{id}/credit}: {@code amount_usd} more than 0, an optional {@code
   * reference} that makes a retry credit once.
   */
  public ObjectNode credit(String id, JsonNode body) {
    AccountId account = clientAccount(id);
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
    return out;
  }

  private ObjectNode describe(AccountId account) {
    ObjectNode out = Json.object();
    out.put("object", "account");
    out.put("id", account.value());
    out.put("balance_usd", Usd.format(ledger.balance(account)));
    return out;
  }

  private static AccountId clientAccount(String id) {
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
}
