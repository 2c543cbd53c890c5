package dev.pinaivu.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache holds the port's contract, and a change made elsewhere shows within its age. */
class CachedApiKeyStoreTest extends ApiKeyStoreContract {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private final InMemoryApiKeyStore shared = new InMemoryApiKeyStore();

  @Override
  protected ApiKeyStore newStore() {
    return new CachedApiKeyStore(new InMemoryApiKeyStore(), Duration.ofSeconds(1), clock);
  }

  private CachedApiKeyStore process() {
    return new CachedApiKeyStore(shared, Duration.ofSeconds(1), clock);
  }

  @Test
  void aKeyRevokedByAnotherProcess_isTakenForLessThanTheAge_thenRefused() {
    CachedApiKeyStore here = process();
    CachedApiKeyStore there = process();
    ApiKey key = ApiKey.generate();
    ApiKeyRecord record = record(key, 1);
    there.insert(record);
    assertThat(here.findByHash(key.hash()).orElseThrow().active()).isTrue();

    there.revoke(record.id(), now.get());
    now.addAndGet(999);
    assertThat(here.findByHash(key.hash()).orElseThrow().active()).isTrue(); // the staleness
    assertThat(there.findByHash(key.hash()).orElseThrow().active()).isFalse(); // its own write
    now.addAndGet(1);
    assertThat(here.findByHash(key.hash()).orElseThrow().active()).isFalse();
  }

  @Test
  void aKeyCreatedElsewhereAfterAMiss_isFoundOnceTheMissIsOlderThanTheAge() {
    CachedApiKeyStore here = process();
    ApiKey key = ApiKey.generate();
    assertThat(here.findByHash(key.hash())).isEmpty();

    process().insert(record(key, 1));
    assertThat(here.findByHash(key.hash())).isEmpty();
    now.addAndGet(1000);
    assertThat(here.findByHash(key.hash())).isPresent();
  }

  @Test
  void aZeroAge_readsTheStoreEveryTime() {
    CachedApiKeyStore here = new CachedApiKeyStore(shared, Duration.ZERO, clock);
    ApiKey key = ApiKey.generate();
    ApiKeyRecord record = record(key, 1);
    shared.insert(record);
    assertThat(here.findByHash(key.hash())).isPresent();

    shared.revoke(record.id(), now.get());
    assertThat(here.findByHash(key.hash()).orElseThrow().active()).isFalse();
  }
}
