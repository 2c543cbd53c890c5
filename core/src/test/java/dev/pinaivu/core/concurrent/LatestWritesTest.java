package dev.pinaivu.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The latest value of each key is written, one write per key at a time, never an older after. */
class LatestWritesTest {
  @Test
  void valuesSubmittedDuringASlowWrite_areCoalesced_intoTheNewest() throws Exception {
    CountDownLatch firstWriteStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> written = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    LatestWrites<String, Integer> writes =
        new LatestWrites<>(
            "test",
            (key, value) -> {
              written.add(key + "=" + value);
              firstWriteStarted.countDown();
              await(release);
            },
            pool);

    writes.submit("node", 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 2; i <= 50; i++) {
      writes.submit("node", i); // while the store is slow: only the newest matters
    }
    assertThat(writes.waiting("node")).contains(50);
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

    assertThat(written).containsExactly("node=1", "node=50");
    assertThat(writes.waiting("node")).isEmpty();
  }

  @Test
  void manyWritersOnManyKeys_endWithEachKeysLastValue_writtenLast() throws Exception {
    java.util.Map<Integer, Integer> store = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.Map<Integer, Integer> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    LatestWrites<Integer, Integer> writes =
        new LatestWrites<>(
            "test",
            (key, value) -> {
              assertThat(inFlight.merge(key, 1, Integer::sum)).as("one write per key").isOne();
              store.merge(key, value, Math::max);
              assertThat(store.get(key)).as("never older after newer").isEqualTo(value);
              inFlight.merge(key, -1, Integer::sum);
            },
            pool);
    try (ExecutorService submitters = Executors.newFixedThreadPool(4)) {
      for (int key = 0; key < 8; key++) {
        int k = key;
        submitters.execute(() -> {
          for (int v = 1; v <= 2_000; v++) {
            writes.submit(k, v);
          }
        });
      }
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (int key = 0; key < 8; key++) {
      assertThat(store.get(key)).isEqualTo(2_000);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
