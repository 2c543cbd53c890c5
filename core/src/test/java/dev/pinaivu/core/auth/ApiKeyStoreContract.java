package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.Ulid;
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
}
