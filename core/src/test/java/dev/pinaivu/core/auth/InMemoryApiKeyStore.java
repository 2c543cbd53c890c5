package dev.pinaivu.core.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The one in-memory fake of {@link ApiKeyStore}, for use-case tests; held to the same contract. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
  private final Map<String, ApiKeyRecord> byId = new ConcurrentHashMap<>();

  @Override
  public synchronized void insert(ApiKeyRecord record) {
    if (byId.containsKey(record.id()) || findByHash(record.keyHash()).isPresent()) {
      throw new IllegalArgumentException("a key with this id or hash already exists");
    }
    byId.put(record.id(), record);
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    return byId.values().stream().filter(r -> r.keyHash().equals(keyHash)).findFirst();
  }

  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<ApiKeyRecord> list() {
    List<ApiKeyRecord> out = new ArrayList<>(byId.values());
    out.sort(Comparator.comparingLong(ApiKeyRecord::createdAtMs).thenComparing(ApiKeyRecord::id));
    return out;
  }

  @Override
  public synchronized boolean revoke(String id, long atMs) {
    ApiKeyRecord r = byId.get(id);
    if (r == null || !r.active()) {
      return false;
    }
    byId.put(id, r.revokedAt(atMs));
    return true;
  }
}
