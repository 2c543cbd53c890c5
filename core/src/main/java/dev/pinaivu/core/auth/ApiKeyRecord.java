package dev.pinaivu.core.auth;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the store keeps about a key: never the key itself, only its hash and a display hint, and
 * what the key may do and spend.
 *
 * @param id stable public id of the key ({@code key_<ulid>})
 * @param accountId the account the key spends from
 * @param revokedAtMs null while the key is active
 * @param scopes the endpoints the key may call
 * @param models the models the key may use; empty means every model
 * @param rpm requests per minute; null means unlimited
 * @param tpm tokens per minute; null means unlimited
 * @param budgetMicros the most this key may spend over its life, in µUSD; null means no cap
 */
public record ApiKeyRecord(
    String id,
    String name,
    String accountId,
    String keyHash,
    String hint,
    long createdAtMs,
    Long revokedAtMs,
    Set<Scope> scopes,
    Set<String> models,
    Integer rpm,
    Integer tpm,
    Long budgetMicros) {

  public ApiKeyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(hint, "hint");
    if (keyHash.length() != 64) {
      throw new IllegalArgumentException("keyHash must be hex SHA-256");
    }
    scopes = scopeSet(scopes);
    models = modelSet(models);
    if (rpm != null && rpm < 1) {
      throw new IllegalArgumentException("rpm must be at least 1, got " + rpm);
    }
    if (tpm != null && tpm < 1) {
      throw new IllegalArgumentException("tpm must be at least 1, got " + tpm);
    }
    if (budgetMicros != null && budgetMicros < 0) {
      throw new IllegalArgumentException("a budget cannot be negative, got " + budgetMicros);
    }
  }

  /** A key with every scope, every model and no limits, as keys were before scopes existed. */
  public ApiKeyRecord(
      String id,
      String name,
      String accountId,
      String keyHash,
      String hint,
      long createdAtMs,
      Long revokedAtMs) {
    this(
        id,
        name,
        accountId,
        keyHash,
        hint,
        createdAtMs,
        revokedAtMs,
        Scope.all(),
        Set.of(),
        null,
        null,
        null);
  }

  public boolean active() {
    return revokedAtMs == null;
  }

  /** This record, revoked at {@code atMs}. */
  public ApiKeyRecord revokedAt(long atMs) {
    return new ApiKeyRecord(
        id,
        name,
        accountId,
        keyHash,
        hint,
        createdAtMs,
        atMs,
        scopes,
        models,
        rpm,
        tpm,
        budgetMicros);
  }

  private static Set<Scope> scopeSet(Set<Scope> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    EnumSet<Scope> copy = EnumSet.noneOf(Scope.class);
    copy.addAll(scopes);
    return Collections.unmodifiableSet(copy);
  }

  private static Set<String> modelSet(Set<String> models) {
    Objects.requireNonNull(models, "models");
    for (String m : models) {
      if (m == null || m.isBlank()) {
        throw new IllegalArgumentException("a model id cannot be blank");
      }
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(models));
  }
}
