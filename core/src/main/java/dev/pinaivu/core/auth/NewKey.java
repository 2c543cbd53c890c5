package dev.pinaivu.core.auth;

import dev.pinaivu.core.ledger.AccountId;
import java.util.Objects;
import java.util.Set;

/**
 * What an operator asks for when issuing a key ({@code ./pinaivu keys create}, {@code POST
 * /admin/v1/keys}). Validated here, so that the CLI and the admin API refuse the same things.
 *
 * @param scopes at least one
 * @param models empty means every model
 * @param rpm requests per minute, at least 1; null means unlimited
 * @param tpm tokens per minute, at least 1; null means unlimited
 * @param budgetMicros lifetime spending cap in µUSD, at least 0; null means none
 */
public record NewKey(
    String name,
    String accountId,
    Set<Scope> scopes,
    Set<String> models,
    Integer rpm,
    Integer tpm,
    Long budgetMicros) {
  static final int MAX_NAME_LENGTH = 100;

  public NewKey {
    Objects.requireNonNull(name, "name");
    name = name.strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "a key name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    AccountId.client(accountId);
    scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException(
          "a key needs at least one scope (" + Scope.names(Scope.all()) + ")");
    }
    models = Set.copyOf(Objects.requireNonNull(models, "models"));
  }
}
