package dev.pinaivu.core.receipt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator keys a verifier accepts, by key id, and whether development keys count. Shared by
 * the node (dispatch tokens) and by receipt verifiers. Immutable: {@link #with} makes a new set.
 */
public final class TrustedKeys {
  private final Map<String, CoordinatorKey> byId = new LinkedHashMap<>();
  private final boolean allowDevKeys;

  public TrustedKeys(Collection<CoordinatorKey> keys, boolean allowDevKeys) {
    keys.forEach(key -> byId.put(key.keyId(), key));
    this.allowDevKeys = allowDevKeys;
  }

  /**
   * These keys and {@code key} (the newest), keeping the {@code max} newest: a node that learns a
   * restarted coordinator's key still accepts the tokens of the old one that are in flight.
   */
  public TrustedKeys with(CoordinatorKey key, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    List<CoordinatorKey> keys = new ArrayList<>(byId.values());
    keys.removeIf(known -> known.keyId().equals(key.keyId()));
    keys.add(key);
    return new TrustedKeys(keys.subList(Math.max(0, keys.size() - max), keys.size()), allowDevKeys);
  }

  /** The keys, oldest first. */
  public List<CoordinatorKey> keys() {
    return List.copyOf(byId.values());
  }

  /** The key with this id, if it is trusted and allowed. */
  public Verification<CoordinatorKey> find(String keyId) {
    CoordinatorKey key = byId.get(keyId);
    if (key == null) {
      return Verification.invalid(
          "key_id " + shown(keyId) + " is not a trusted coordinator key (wrong key)");
    }
    return Verification.valid(key);
  }

  /** Refuses a DEV key unless development keys are allowed. */
  public Verification<CoordinatorKey> allowed(CoordinatorKey key) {
    if (key.kind() == CoordinatorKey.Kind.DEV && !allowDevKeys) {
      return Verification.invalid(
          "key "
              + key.keyId()
              + " is a development key (dev attestation, not an enclave); pass --allow-dev to"
              + " accept it");
    }
    return Verification.valid(key);
  }

  public boolean allowDevKeys() {
    return allowDevKeys;
  }

  private static String shown(String keyId) {
    if (keyId == null) {
      return "(missing)";
    }
    return keyId.length() > 80 ? keyId.substring(0, 80) + "…" : keyId;
  }

  @Override
  public String toString() {
    return "TrustedKeys" + byId.values() + (allowDevKeys ? " (dev allowed)" : "");
  }
}
