package dev.pinaivu.core.receipt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CoordinatorKeys} adapter must do. An adapter's test extends this class and
 * supplies a new, empty store; the same assertions then run against memory, SQLite and DynamoDB.
 */
public abstract class CoordinatorKeysContract {
  private CoordinatorKeys keys;

  /** A new store that remembers no key. */
  protected abstract CoordinatorKeys newKeys();

  @BeforeEach
  void create() {
    keys = newKeys();
  }

  @Test
  void all_ofANewStore_isEmpty() {
    assertThat(keys.all()).isEmpty();
    assertThat(keys.find(devKey(1).keyId())).isEmpty();
  }

  @Test
  void remember_thenFind_returnsTheKeyWithItsKindAndAttestation() {
    CoordinatorKey dev = devKey(1);
    CoordinatorKey nitro = CoordinatorKey.nitro(publicKey(2), "an attestation".getBytes(UTF_8));

    keys.remember(dev, 1_000);
    keys.remember(nitro, 2_000);

    assertThat(keys.find(dev.keyId())).contains(dev);
    assertThat(keys.find(nitro.keyId())).contains(nitro);
    assertThat(keys.find(devKey(3).keyId())).isEmpty();
  }

  @Test
  void all_listsTheMostRecentlyFirstSeenFirst() {
    keys.remember(devKey(1), 1_000);
    keys.remember(devKey(2), 3_000);
    keys.remember(devKey(3), 2_000);

    assertThat(keys.all()).containsExactly(devKey(2), devKey(3), devKey(1));
  }

  @Test
  void remember_again_keepsTheFirstSighting() {
    keys.remember(devKey(1), 1_000);
    keys.remember(devKey(2), 2_000);
    keys.remember(devKey(1), 9_000);

    assertThat(keys.all()).containsExactly(devKey(2), devKey(1));
  }

  @Test
  void remember_whenRacing_keepsEachKeyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int seed = i % 5;
        long at = i;
        done.add(pool.submit(() -> keys.remember(devKey(seed), at)));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(keys.all()).hasSize(5);
  }

  private static CoordinatorKey devKey(int seed) {
    return CoordinatorKey.dev(publicKey(seed));
  }

  /** A made-up 32-byte public key: the store only keeps it, nothing verifies with it. */
  private static byte[] publicKey(int seed) {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    key[31] = (byte) (seed * 7 + 1);
    return key;
  }
}
