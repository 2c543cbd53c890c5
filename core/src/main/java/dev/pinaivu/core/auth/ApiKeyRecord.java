package dev.pinaivu.core.auth;

import java.util.Objects;

/**
 * What the store keeps about a key: never the key itself, only its hash and a display hint.
 *
 * @param id stable public id of the key ({@code key_<ulid>})
 * @param accountId the account the key spends from
 * @param revokedAtMs null while the key is active
 */
public record ApiKeyRecord(
    String id,
    String name,
    String accountId,
    String keyHash,
    String hint,
    long createdAtMs,
    Long revokedAtMs) {

  public ApiKeyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(hint, "hint");
    if (keyHash.length() != 64) {
      throw new IllegalArgumentException("keyHash must be hex SHA-256");
    }
  }

  public boolean active() {
    return revokedAtMs == null;
  }
}
