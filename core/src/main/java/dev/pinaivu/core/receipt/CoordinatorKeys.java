package dev.pinaivu.core.receipt;

import java.util.List;
import java.util.Optional;

/**
 * Port: every coordinator key the network has worked with, so that receipts signed before a
 * coordinator restart (a new key) stay verifiable ({@code GET /v1/attestation} publishes them all)
 * and their receipts can be logged again after the key's announcement. SQLite locally, DynamoDB on
 * AWS; every adapter passes {@code CoordinatorKeysContract}.
 */
public interface CoordinatorKeys {
  /** Remembers {@code key} once, with the time it was first seen; a repeat changes nothing. */
  void remember(CoordinatorKey key, long nowMs);

  /** The key with this id, if it was remembered. */
  Optional<CoordinatorKey> find(String keyId);

  /** All keys, the most recently first seen first (ties by key id). */
  List<CoordinatorKey> all();
}
