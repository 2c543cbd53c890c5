package dev.pinaivu.core.concurrent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the latest value of each key off the caller's thread: at most one write per key in flight,
 * and a value submitted while one is in flight replaces any still waiting, so a slow store sees the
 * newest value next and never an older one after it. For state where only the latest value matters
 * (a node's heartbeat, its conduct record), written to a store other processes read.
 */
public final class LatestWrites<K, V> {
  private static final Logger log = LoggerFactory.getLogger(LatestWrites.class);

  private final Map<K, V> waiting = new ConcurrentHashMap<>();
  private final Map<K, Boolean> writing = new ConcurrentHashMap<>();
  private final BiConsumer<K, V> write;
  private final Executor executor;
  private final String what;

  /**
   * @param what names the writes in the log, when one fails (the next value is written anyway)
   */
  public LatestWrites(String what, BiConsumer<K, V> write, Executor executor) {
    this.what = what;
    this.write = write;
    this.executor = executor;
  }

  /** Writes {@code value} as {@code key}'s soon; returns at once. */
  public void submit(K key, V value) {
    waiting.put(key, value);
    if (writing.putIfAbsent(key, Boolean.TRUE) == null) {
      try {
        executor.execute(() -> drain(key));
      } catch (RejectedExecutionException e) { // shutting down: what is left is not written
        writing.remove(key);
        log.debug("{} of {} not written: shutting down", what, key);
      }
    }
  }

  /** The value of {@code key} submitted and not written yet, if any. */
  public Optional<V> waiting(K key) {
    return Optional.ofNullable(waiting.get(key));
  }

  private void drain(K key) {
    while (true) {
      V value = waiting.remove(key);
      if (value == null) {
        writing.remove(key);
        // a submit between the remove and here saw the flag set and started nothing: take it
        if (!waiting.containsKey(key) || writing.putIfAbsent(key, Boolean.TRUE) != null) {
          return;
        }
        continue;
      }
      try {
        write.accept(key, value);
      } catch (RuntimeException e) {
        log.warn("{} of {} not written: {}", what, key, e.getMessage());
      }
    }
  }
}
