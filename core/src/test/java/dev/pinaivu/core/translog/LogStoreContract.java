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

  @Test
  void tile_whenNoneSaved_isEmpty() {
    assertThat(store.tile(0, 0)).isEmpty();
  }

  @Test
  void saveTiles_thenTile_roundTripsEachByLevelAndIndex() {
    Tile low = tile(0, 0, 3, "a");
    Tile next = tile(0, 1, 256, "b");
    Tile high = tile(1, 0, 1, "c");

    store.saveTiles(List.of(low, next, high));

    assertThat(store.tile(0, 0)).contains(low);
    assertThat(store.tile(0, 1)).contains(next);
    assertThat(store.tile(1, 0)).contains(high);
    assertThat(store.tile(1, 1)).isEmpty();
    assertThat(store.tile(2, 0)).isEmpty();
  }

  @Test
  void saveTiles_neverNarrowsATile() {
    Tile wide = tile(0, 4, 9, "a");
    store.saveTiles(List.of(wide));

    store.saveTiles(List.of(tile(0, 4, 5, "a")));
    assertThat(store.tile(0, 4)).contains(wide);

    Tile wider = tile(0, 4, 10, "a");
    store.saveTiles(List.of(wider));
    assertThat(store.tile(0, 4)).contains(wider);
  }

  @Test
  void saveTiles_whenRacing_leavesTheWidest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int width = 1; width <= 40; width++) {
        Tile tile = tile(0, 0, width, "a");
        done.add(pool.submit(() -> store.saveTiles(List.of(tile))));
      }
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.tile(0, 0)).contains(tile(0, 0, 40, "a"));
  }

  @Test
  void aLogOverThisStore_provesWhatAnInMemoryTreeProves() {
    MerkleTree reference = new MerkleTree();
    TransparencyLog log = new TransparencyLog(NoteKeys.ORIGIN, store);
    int count = 600; // three level-0 tiles and a level-1 tile
    for (int i = 0; i < count; i++) {
      log.append(entry(i));
      reference.append(Hash.leaf(entry(i)));
    }
    TransparencyLog cold = new TransparencyLog(NoteKeys.ORIGIN, store);
    for (long size : new long[] {1, 255, 256, 257, 512, 599, 600}) {
      assertThat(cold.root(size)).as("root at %d", size).isEqualTo(reference.root(size));
      assertThat(cold.inclusionProof(size / 2, size).path())
          .isEqualTo(reference.inclusionProof(size / 2, size).path());
      assertThat(cold.consistencyProof(size / 3, size).path())
          .isEqualTo(reference.consistencyProof(size / 3, size).path());
    }
    assertThat(store.tile(0, 1).orElseThrow().isFull()).isTrue();
    assertThat(store.tile(0, 2).orElseThrow().width()).isEqualTo(600 - 512);
    assertThat(store.tile(1, 0).orElseThrow().width()).isEqualTo(2);
  }

  private static byte[] entry(long i) {
    return ("receipt " + i).getBytes(UTF_8);
  }

  /** A tile of {@code width} made-up hashes; tiles of one seed agree where they overlap. */
  private static Tile tile(int level, long index, int width, String seed) {
    byte[] hashes = new byte[width * Hash.BYTES];
    for (int i = 0; i < width; i++) {
      byte[] hash = Hash.leaf((seed + i).getBytes(UTF_8)).bytes();
      System.arraycopy(hash, 0, hashes, i * Hash.BYTES, Hash.BYTES);
    }
    return new Tile(level, index, hashes);
  }

  /** Checkpoints told apart by their (made-up) root. */
  private static SignedCheckpoint checkpoint(long size, String rootSeed) {
    Hash root = Hash.leaf(rootSeed.getBytes(UTF_8));
    return SignedCheckpoint.sign(new Checkpoint(NoteKeys.ORIGIN, size, root), SIGNER);
  }
}
