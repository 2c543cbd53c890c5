package dev.pinaivu.core.auth;

import java.util.List;
import java.util.Optional;

/** Port: where API key records live (SQLite locally, DynamoDB on AWS). */
public interface ApiKeyStore {
  /** Stores a new record; fails if the id or the hash is already present. */
  void insert(ApiKeyRecord record);

  Optional<ApiKeyRecord> findByHash(String keyHash);

  Optional<ApiKeyRecord> findById(String id);

  List<ApiKeyRecord> list();

  /** Marks the key revoked at {@code atMs}; false if no such key or it was already revoked. */
  boolean revoke(String id, long atMs);
}
