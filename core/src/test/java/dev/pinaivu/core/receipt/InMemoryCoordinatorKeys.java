package dev.pinaivu.core.receipt;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link CoordinatorKeys} in memory, for tests of the use cases that read them. */
public final class InMemoryCoordinatorKeys implements CoordinatorKeys {
  private record Seen(CoordinatorKey key, long firstSeenMs) {}

  private final Map<String, Seen> keys = new LinkedHashMap<>();

  @Override
  public synchronized void remember(CoordinatorKey key, long nowMs) {
    keys.putIfAbsent(key.keyId(), new Seen(key, nowMs));
  }

  @Override
  public synchronized Optional<CoordinatorKey> find(String keyId) {
    return Optional.ofNullable(keys.get(keyId)).map(Seen::key);
  }

  @Override
  public synchronized List<CoordinatorKey> all() {
    return keys.values().stream()
        .sorted(
            Comparator.comparingLong(Seen::firstSeenMs)
                .reversed()
                .thenComparing(seen -> seen.key().keyId()))
        .map(Seen::key)
        .toList();
  }
}
