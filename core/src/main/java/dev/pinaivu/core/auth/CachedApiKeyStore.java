package dev.pinaivu.core.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys by hash for the request path, kept for at most {@code maxAge} in this process, so that a
 * gateway on a shared store (DynamoDB) does not pay a round trip per request. The staleness it
 * allows: a key revoked or changed by another process is still taken for up to {@code maxAge} (1 s
 * in the gateway's wiring), and one created elsewhere is refused for as long if this process asked
 * for it just before. What this process writes through it takes effect here at once. Every other
 * read goes to the store.
 */
public final class CachedApiKeyStore implements ApiKeyStore {
  /** Past this many cached hashes the cache starts again, so a flood of bad keys cannot grow it. */
  static final int MAX_ENTRIES = 100_000;

  private record Entry(Optional<ApiKeyRecord> record, long readAtMs) {}

  private final ApiKeyStore store;
  private final Duration maxAge;
  private final InstantSource clock;
  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();

  public CachedApiKeyStore(ApiKeyStore store, Duration maxAge, InstantSource clock) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("a cache age cannot be negative: " + maxAge);
    }
    this.store = store;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    long now = clock.millis();
    Entry cached = byHash.get(keyHash);
    if (cached != null && now - cached.readAtMs() < maxAge.toMillis()) {
      return cached.record();
    }
    Optional<ApiKeyRecord> read = store.findByHash(keyHash);
    if (byHash.size() >= MAX_ENTRIES) {
      byHash.clear();
    }
    byHash.put(keyHash, new Entry(read, now));
    return read;
  }

  @Override
  public void insert(ApiKeyRecord record) {
    try {
      store.insert(record);
    } finally {
      byHash.remove(record.keyHash());
    }
  }

  @Override
  public boolean revoke(String id, long atMs) {
    try {
      return store.revoke(id, atMs);
    } finally {
      store.findById(id).ifPresent(revoked -> byHash.remove(revoked.keyHash()));
    }
  }

  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    return store.findById(id);
  }

  @Override
  public List<ApiKeyRecord> list() {
    return store.list();
  }
}
