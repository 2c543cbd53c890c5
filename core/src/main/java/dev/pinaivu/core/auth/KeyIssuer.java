package dev.pinaivu.core.auth;

import dev.pinaivu.core.id.Ulid;
import java.time.InstantSource;
import java.util.List;

/**
 * Use case: issue, list and revoke API keys, for the CLI and the admin API alike. The secret leaves
 * this class once, in the {@link IssuedKey} returned by {@link #issue}; the store keeps its hash.
 */
public final class KeyIssuer {
  /** What {@link #revoke} found. */
  public enum Revocation {
    REVOKED,
    ALREADY_REVOKED,
    UNKNOWN_KEY
  }

  private final ApiKeyStore keys;
  private final InstantSource clock;

  public KeyIssuer(ApiKeyStore keys, InstantSource clock) {
    this.keys = keys;
    this.clock = clock;
  }

  public IssuedKey issue(NewKey spec) {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord record =
        new ApiKeyRecord(
            "key_" + Ulid.next(),
            spec.name(),
            spec.accountId(),
            key.hash(),
            key.hint(),
            clock.millis(),
            null,
            spec.scopes(),
            spec.models(),
            spec.rpm(),
            spec.tpm(),
            spec.budgetMicros());
    keys.insert(record);
    return new IssuedKey(key, record);
  }

  /** Every key, oldest first, revoked ones included. */
  public List<ApiKeyRecord> list() {
    return keys.list();
  }

  /** Revokes a key; requests with it are refused (401) from the next one on. */
  public Revocation revoke(String keyId) {
    if (keys.revoke(keyId, clock.millis())) {
      return Revocation.REVOKED;
    }
    return keys.findById(keyId).isPresent() ? Revocation.ALREADY_REVOKED : Revocation.UNKNOWN_KEY;
  }
}
