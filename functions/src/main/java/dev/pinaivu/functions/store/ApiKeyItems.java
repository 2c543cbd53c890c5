package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.nullableLong;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.ss;
import static dev.pinaivu.functions.store.Attributes.string;
import static dev.pinaivu.functions.store.Attributes.stringSet;

import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.Scope;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An API key record as its item {@code KEY#<hash>/KEY}. Scopes and models are string sets, absent
 * when empty (DynamoDB stores no empty set); a scope name this build does not know (written by a
 * newer one) is skipped on reading. Limits are absent when unlimited.
 */
final class ApiKeyItems {
  static final String ID = "id";
  static final String NAME = "name";
  static final String ACCOUNT = "account";
  static final String HASH = "hash";
  static final String HINT = "hint";
  static final String CREATED = "created_ms";
  static final String REVOKED = "revoked_ms";
  static final String SCOPES = "scopes";
  static final String MODELS = "models";
  static final String RPM = "rpm";
  static final String TPM = "tpm";
  static final String BUDGET = "budget";

  private ApiKeyItems() {}

  static Map<String, AttributeValue> item(ApiKeyRecord r) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.apiKey(r.keyHash()));
    item.put(ID, s(r.id()));
    item.put(NAME, s(r.name()));
    item.put(ACCOUNT, s(r.accountId()));
    item.put(HASH, s(r.keyHash()));
    item.put(HINT, s(r.hint()));
    item.put(CREATED, n(r.createdAtMs()));
    if (r.revokedAtMs() != null) {
      item.put(REVOKED, n(r.revokedAtMs()));
    }
    if (!r.scopes().isEmpty()) {
      item.put(SCOPES, ss(Set.copyOf(r.scopes().stream().map(Scope::wireName).toList())));
    }
    if (!r.models().isEmpty()) {
      item.put(MODELS, ss(r.models()));
    }
    if (r.rpm() != null) {
      item.put(RPM, n(r.rpm()));
    }
    if (r.tpm() != null) {
      item.put(TPM, n(r.tpm()));
    }
    if (r.budgetMicros() != null) {
      item.put(BUDGET, n(r.budgetMicros()));
    }
    item.put(NetworkTable.GSI1_PK, s(NetworkKeys.API_KEYS_INDEX));
    item.put(NetworkTable.GSI1_SK, s(SortableTime.of(r.createdAtMs()) + "#" + r.id()));
    return item;
  }

  /** The id item: it points to the key's hash, and makes ids unique. */
  static Map<String, AttributeValue> idItem(ApiKeyRecord r) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.apiKeyId(r.id()));
    item.put(HASH, s(r.keyHash()));
    return item;
  }

  static ApiKeyRecord record(Map<String, AttributeValue> item) {
    Long rpm = nullableLong(item, RPM);
    Long tpm = nullableLong(item, TPM);
    return new ApiKeyRecord(
        string(item, ID),
        string(item, NAME),
        string(item, ACCOUNT),
        string(item, HASH),
        string(item, HINT),
        nullableLong(item, CREATED),
        nullableLong(item, REVOKED),
        scopes(stringSet(item, SCOPES)),
        stringSet(item, MODELS),
        rpm == null ? null : Math.toIntExact(rpm),
        tpm == null ? null : Math.toIntExact(tpm),
        nullableLong(item, BUDGET));
  }

  private static Set<Scope> scopes(Set<String> names) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : names) {
      Scope scope = Scope.fromWire(name);
      if (scope != null) {
        scopes.add(scope);
      }
    }
    return scopes;
  }
}
