package dev.pinaivu.core.auth;

import java.util.Set;

/**
 * Who is calling, once the key is checked, with what the key may do and spend: what admission
 * control needs, so that it reads the key store only once per request.
 *
 * @param models the models the key may use; empty means every model
 * @param rpm requests per minute; null means unlimited
 * @param tpm tokens per minute; null means unlimited
 * @param budgetMicros the key's lifetime spending cap in µUSD; null means none
 */
public record Caller(
    String keyId,
    String accountId,
    Set<Scope> scopes,
    Set<String> models,
    Integer rpm,
    Integer tpm,
    Long budgetMicros) {

  public Caller {
    scopes = Set.copyOf(scopes);
    models = Set.copyOf(models);
  }

  public static Caller of(ApiKeyRecord key) {
    return new Caller(
        key.id(),
        key.accountId(),
        key.scopes(),
        key.models(),
        key.rpm(),
        key.tpm(),
        key.budgetMicros());
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** True when the key may use {@code model}: it names no models, or names this one exactly. */
  public boolean mayUse(String model) {
    return models.isEmpty() || models.contains(model);
  }
}
