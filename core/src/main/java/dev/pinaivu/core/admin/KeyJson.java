package dev.pinaivu.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.NewKey;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.money.Usd;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin API's JSON for keys. Out: OpenAI's admin key fields where they exist ({@code id},
 * {@code name}, {@code redacted_value}, {@code created_at} in seconds), then ours; never the hash.
 * In: {@code name}, {@code account}, {@code scopes}, {@code models}, {@code rpm}, {@code tpm},
 * {@code budget_usd}, each refused with a 400 naming it.
 */
final class KeyJson {
  private KeyJson() {}

  static ObjectNode describe(ApiKeyRecord key, long spentMicros) {
    ObjectNode out = Json.object();
    out.put("object", "api_key");
    out.put("id", key.id());
    out.put("name", key.name());
    out.put("redacted_value", key.hint());
    out.put("account", key.accountId());
    ArrayNode scopes = out.putArray("scopes");
    key.scopes().forEach(s -> scopes.add(s.wireName()));
    ArrayNode models = out.putArray("models");
    key.models().forEach(models::add);
    putNullable(out, "rpm", key.rpm() == null ? null : key.rpm().longValue());
    putNullable(out, "tpm", key.tpm() == null ? null : key.tpm().longValue());
    if (key.budgetMicros() == null) {
      out.putNull("budget_usd");
    } else {
      out.put("budget_usd", Usd.format(key.budgetMicros()));
    }
    out.put("spent_usd", Usd.format(spentMicros));
    out.put("created_at", key.createdAtMs() / 1000);
    putNullable(out, "revoked_at", key.revokedAtMs() == null ? null : key.revokedAtMs() / 1000);
    return out;
  }

  static NewKey parse(JsonNode body, String defaultAccount) {
    String name = text(body, "name", null);
    if (name == null) {
      throw ApiException.missing("name");
    }
    String account = text(body, "account", defaultAccount);
    valid("account", () -> AccountId.client(account));
    Set<Scope> scopes = Scope.all();
    if (present(body, "scopes") != null) {
      scopes = new LinkedHashSet<>();
      for (String s : strings(body, "scopes")) {
        scopes.add(valid("scopes", () -> Scope.parse(s)));
      }
      if (scopes.isEmpty()) {
        throw ApiException.invalid("scopes", "'scopes' must name at least one scope.");
      }
    }
    Set<String> models =
        present(body, "models") == null ? Set.of() : new LinkedHashSet<>(strings(body, "models"));
    Integer rpm = positive(body, "rpm");
    Integer tpm = positive(body, "tpm");
    Long budget = budget(body);
    Set<Scope> granted = scopes;
    // every other field is checked by now: only the name can still be refused
    return valid("name", () -> new NewKey(name, account, granted, models, rpm, tpm, budget));
  }

  private static Long budget(JsonNode body) {
    JsonNode value = present(body, "budget_usd");
    if (value == null) {
      return null;
    }
    return dollars("budget_usd", value);
  }

  /**
   * A USD amount of the admin API: a JSON string in the one form {@link Usd#parseMicros} reads
   * ("25.00"). A JSON number is refused: its written form is lost once parsed (1e3, 0.1 as a
   * double), and money must mean exactly what was sent.
   */
  static long dollars(String field, JsonNode value) {
    if (!value.isTextual()) {
      throw ApiException.invalidType(field, "a string holding " + Usd.AMOUNT_FORM);
    }
    return valid(field, () -> Usd.parseMicros(value.textValue()), "'" + field + "': ");
  }

  private static Integer positive(JsonNode body, String field) {
    JsonNode value = present(body, field);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw ApiException.invalid(field, "'" + field + "' must be an integer of at least 1.");
    }
    return value.intValue();
  }

  private static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (!value.isArray()) {
      throw ApiException.invalidType(field, "an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw ApiException.invalidType(field, "an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode value = present(body, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw ApiException.invalidType(field, "a string");
    }
    return value.textValue();
  }

  private static JsonNode present(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static void putNullable(ObjectNode out, String field, Long value) {
    if (value == null) {
      out.putNull(field);
    } else {
      out.put(field, value);
    }
  }

  /** Runs a domain validation, turning its refusal into a 400 naming {@code param}. */
  private static <T> T valid(String param, Supplier<T> validation) {
    return valid(param, validation, "");
  }

  private static <T> T valid(String param, Supplier<T> validation, String prefix) {
    try {
      return validation.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(param, prefix + e.getMessage());
    }
  }
}
