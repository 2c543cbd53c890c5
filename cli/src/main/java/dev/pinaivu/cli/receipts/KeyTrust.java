package dev.pinaivu.cli.receipts;

import dev.pinaivu.core.receipt.CoordinatorKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator keys the user's sources vouch for, and the keys they offered that failed their
 * check, by key id with the reason, so a receipt signed by one of those is refused precisely.
 */
record KeyTrust(List<CoordinatorKey> keys, Map<String, String> refused) {
  static final KeyTrust NONE = new KeyTrust(List.of(), Map.of());

  KeyTrust {
    keys = List.copyOf(keys);
    refused = Map.copyOf(refused);
  }

  static KeyTrust of(CoordinatorKey key) {
    return new KeyTrust(List.of(key), Map.of());
  }

  static KeyTrust refusing(String keyId, String reason) {
    return new KeyTrust(List.of(), Map.of(keyId, reason));
  }

  KeyTrust plus(KeyTrust other) {
    List<CoordinatorKey> allKeys = new ArrayList<>(keys);
    allKeys.addAll(other.keys);
    Map<String, String> allRefused = new LinkedHashMap<>(refused);
    other.refused.forEach(allRefused::putIfAbsent);
    return new KeyTrust(allKeys, allRefused);
  }

  Optional<CoordinatorKey> key(String keyId) {
    return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }
}
