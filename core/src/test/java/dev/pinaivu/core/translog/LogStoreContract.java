package dev.pinaivu.core.translog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LogStore} adapter must do. An adapter's test extends this class and supplies a
 * new, empty store; the same assertions then run against memory, SQLite and DynamoDB.
 */
public abstract class LogStoreContract {
  private static final NoteSigner SIGNER = NoteKeys.logSigner();

  private LogStore store;

  /** A new store holding no leaves and no checkpoints. */
  protected abstract LogStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @Test
  void append_givesConsecutiveIndicesFromZero() {
    assertThat(store.size()).isZero();
    for (long i = 0; i < 5; i++) {
      assertThat(store.append(entry(i))).isEqualTo(i);
    }
    assertThat(store.size()).isEqualTo(5);
  }

  @Test
  void leafData_isTheEntryAppendedAtThatIndex() {
    for (long i = 0; i < 5; i++) {
      store.append(entry(i));
    }
    for (long i = 0; i < 5; i++) {
      assertThat(store.leafData(i)).isEqualTo(entry(i));
    }
  }

  @Test
  void leafData_ofAnEmptyEntry_isEmpty() {
    long index = store.append(new byte[0]);
    assertThat(store.leafData(index)).isEmpty();
    assertThat(store.leafHash(index)).isEqualTo(Hash.leaf(new byte[0]));
  }

  @Test
  void append_keepsNoReferenceToTheCallersArray() {
    byte[] entry = entry(1);
    store.append(entry);
    entry[0] ^= 1;
    assertThat(store.leafData(0)).isEqualTo(entry(1));
    assertThat(store.leafHash(0)).isEqualTo(Hash.leaf(entry(1)));
  }

  @Test
  void leafHash_isTheRfc9162LeafHashOfTheEntry() {
    for (long i = 0; i < 5; i++) {
      store.append(entry(i));
    }
    for (long i = 0; i < 5; i++) {
      assertThat(store.leafHash(i)).isEqualTo(Hash.leaf(entry(i)));
    }
  }

  @Test
  void leafHashes_returnsTheRangeInOrder() {
    List<Hash> expected = new ArrayList<>();
    for (long i = 0; i < 10; i++) {
      store.append(entry(i));
      expected.add(Hash.leaf(entry(i)));
    }
    assertThat(store.leafHashes(0, 10)).isEqualTo(expected);
    assertThat(store.leafHashes(3, 7)).isEqualTo(expected.subList(3, 7));
    assertThat(store.leafHashes(10, 10)).isEmpty();
  }

  @Test
  void leafReads_atOrBeyondSize_failClearly() {
    store.append(entry(0));
    store.append(entry(1));
    assertThatThrownBy(() -> store.leafData(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("2");
    assertThatThrownBy(() -> store.leafHash(5))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("5");
    assertThatThrownBy(() -> store.leafHash(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.leafHashes(1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.leafHashes(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void append_whenConcurrent_givesEveryEntryItsOwnConsecutiveIndex() throws Exception {
    int threads = 4;
    int perThread = 100;
    Map<Long, byte[]> byIndex = new ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(() -> {
              start.await();
              for (int i = 0; i < perThread; i++) {
                byte[] entry = ("thread " + thread + " entry " + i).getBytes(UTF_8);
                assertThat(byIndex.put(store.append(entry), entry)).isNull();
              }
              return null;
            }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    assertThat(store.size()).isEqualTo(total);
    assertThat(byIndex.keySet()).hasSize((int) total).allMatch(i -> i >= 0 && i < total);
    byIndex.forEach((index, entry) -> assertThat(store.leafData(index)).isEqualTo(entry));
  }

  @Test
  void latestCheckpoint_whenNoneSaved_isEmpty() {
    assertThat(store.latestCheckpoint()).isEmpty();
  }

  @Test
  void saveCheckpoint_thenLatest_roundTripsIt() {
    SignedCheckpoint checkpoint = checkpoint(3, "a");
    store.saveCheckpoint(checkpoint);
    assertThat(store.latestCheckpoint()).contains(checkpoint);
    assertThat(store.latestCheckpoint().orElseThrow().format()).isEqualTo(checkpoint.format());
  }

  @Test
  void latestCheckpoint_isTheOneOfTheLargestTreeSize() {
    store.saveCheckpoint(checkpoint(5, "a"));
    store.saveCheckpoint(checkpoint(9, "b"));
    store.saveCheckpoint(checkpoint(7, "c"));
    assertThat(store.latestCheckpoint().orElseThrow().checkpoint().treeSize()).isEqualTo(9);
  }

  @Test
  void latestCheckpoint_amongEqualSizes_isTheLastSaved() {
    store.saveCheckpoint(checkpoint(9, "a"));
    SignedCheckpoint later = checkpoint(9, "b");
    store.saveCheckpoint(later);
    assertThat(store.latestCheckpoint()).contains(later);
  }

  @Test
  void indexOf_findsTheFirstLeafWithThatHash() {
    store.append(entry(0));
    store.append(entry(1));
    store.append(entry(0));

    assertThat(store.indexOf(Hash.leaf(entry(1)))).hasValue(1);
    assertThat(store.indexOf(Hash.leaf(entry(0)))).hasValue(0);
    assertThat(store.indexOf(Hash.leaf(entry(9)))).isEmpty();
  }

  @Test
  void extend_storesTheEntriesAndTheCheckpointTogether() {
    store.append(entry(0));
    SignedCheckpoint checkpoint = checkpoint(3, "x");

    store.extend(1, List.of(entry(1), entry(2)), checkpoint);

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.leafData(2)).isEqualTo(entry(2));
    assertThat(store.leafHash(1)).isEqualTo(Hash.leaf(entry(1)));
    assertThat(store.latestCheckpoint()).contains(checkpoint);
  }

  @Test
  void extend_fromAnotherIndexThanTheSize_storesNothing() {
    store.append(entry(0));

    assertThatThrownBy(() -> store.extend(2, List.of(entry(2)), checkpoint(3, "x")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.latestCheckpoint()).isEmpty();
  }

  private static byte[] entry(long i) {
    return ("receipt " + i).getBytes(UTF_8);
  }

  /** Checkpoints told apart by their (made-up) root. */
  private static SignedCheckpoint checkpoint(long size, String rootSeed) {
    Hash root = Hash.leaf(rootSeed.getBytes(UTF_8));
    return SignedCheckpoint.sign(new Checkpoint(NoteKeys.ORIGIN, size, root), SIGNER);
  }
}
