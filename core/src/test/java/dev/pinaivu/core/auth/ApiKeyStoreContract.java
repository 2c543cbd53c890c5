package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.Ulid;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} adapter must do; each adapter's test extends this class. */
public abstract class ApiKeyStoreContract {
  private ApiKeyStore store;

  protected abstract ApiKeyStore newStore();

  @BeforeEach
  void setUp() {
    store = newStore();
  }

  static ApiKeyRecord record(ApiKey key, long createdAt) {
    return new ApiKeyRecord(
        "key_" + Ulid.next(), "test", "acct_test", key.hash(), key.hint(), createdAt, null);
  }

  static ApiKeyRecord restricted(ApiKey key) {
    return new ApiKeyRecord(
        "key_" + Ulid.next(),
        "restricted",
        "acct_test",
        key.hash(),
        key.hint(),
        1000,
        null,
        EnumSet.of(Scope.CHAT, Scope.USAGE),
        Set.of("llama3.2:3b", "Qwen/Qwen2.5-7B-Instruct", "odd,name \"quoted\""),
        60,
        90_000,
        5_000_000L);
  }

  @Test
  void findByHash_afterInsert_returnsTheRecord() {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord r = record(key, 1000);
    store.insert(r);

    assertThat(store.findByHash(key.hash())).contains(r);
    assertThat(store.findById(r.id())).contains(r);
  }

  @Test
  void findByHash_forUnknownKey_isEmpty() {
    assertThat(store.findByHash(ApiKey.generate().hash())).isEmpty();
    assertThat(store.findById("key_nope")).isEmpty();
  }

  @Test
  void insert_whenHashAlreadyStored_isRefused() {
    ApiKey key = ApiKey.generate();
    store.insert(record(key, 1000));

    assertThatThrownBy(() -> store.insert(record(key, 2000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void revoke_marksTheKeyRevokedOnce() {
    ApiKeyRecord r = record(ApiKey.generate(), 1000);
    store.insert(r);

    assertThat(store.revoke(r.id(), 5000)).isTrue();
    assertThat(store.revoke(r.id(), 6000)).isFalse();
    assertThat(store.findById(r.id()).orElseThrow().revokedAtMs()).isEqualTo(5000L);
    assertThat(store.findById(r.id()).orElseThrow().active()).isFalse();
  }

  @Test
  void revoke_unknownKey_returnsFalse() {
    assertThat(store.revoke("key_unknown", 1)).isFalse();
  }

  @Test
  void list_isOrderedByCreationAndNeverHoldsSecrets() {
    ApiKey first = ApiKey.generate();
    ApiKey second = ApiKey.generate();
    store.insert(record(second, 2000));
    store.insert(record(first, 1000));

    assertThat(store.list())
        .extracting(ApiKeyRecord::keyHash)
        .containsExactly(first.hash(), second.hash());
    assertThat(store.list().toString())
        .doesNotContain(first.reveal())
        .doesNotContain(second.reveal());
  }

  @Test
  void scopesModelsAndLimits_comeBackAsStored() {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord r = restricted(key);
    store.insert(r);

    ApiKeyRecord found = store.findByHash(key.hash()).orElseThrow();
    assertThat(found).isEqualTo(r);
    assertThat(found.scopes()).containsExactly(Scope.CHAT, Scope.USAGE);
    assertThat(found.models())
        .containsExactlyInAnyOrder(
            "llama3.2:3b", "Qwen/Qwen2.5-7B-Instruct", "odd,name \"quoted\"");
    assertThat(found.rpm()).isEqualTo(60);
    assertThat(found.tpm()).isEqualTo(90_000);
    assertThat(found.budgetMicros()).isEqualTo(5_000_000L);
    assertThat(store.list()).containsExactly(r);
  }

  @Test
  void revoke_keepsScopesModelsAndLimits() {
    ApiKeyRecord r = restricted(ApiKey.generate());
    store.insert(r);

    store.revoke(r.id(), 7000);

    assertThat(store.findById(r.id())).contains(r.revokedAt(7000));
  }

  @Test
  void unrestrictedKey_hasEveryScopeEveryModelAndNoLimits() {
    ApiKey key = ApiKey.generate();
    store.insert(record(key, 1000));

    ApiKeyRecord found = store.findByHash(key.hash()).orElseThrow();
    assertThat(found.scopes()).containsExactlyElementsOf(Scope.all());
    assertThat(found.models()).isEmpty();
    assertThat(found.rpm()).isNull();
    assertThat(found.tpm()).isNull();
    assertThat(found.budgetMicros()).isNull();
  }

  @Test
  void keyWithoutScopes_isStoredAsSuch() {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord r =
        new ApiKeyRecord(
            "key_" + Ulid.next(),
            "none",
            "acct_test",
            key.hash(),
            key.hint(),
            1,
            null,
            Set.of(),
            Set.of(),
            null,
            null,
            0L);
    store.insert(r);

    assertThat(store.findByHash(key.hash())).contains(r);
  }
}
