package dev.pinaivu.core.translog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A log read through tiles: a process that starts over a large store proves with a handful of
 * reads, rebuilds tiles that are missing, and refuses entries or tiles that disagree with the
 * leaves.
 */
class TiledTreeTest {
  private static final String ORIGIN = NoteKeys.ORIGIN;
  private static final NoteSigner SIGNER = NoteKeys.logSigner();

  @Test
  void aColdLogOverALargeStore_provesWithAFewReads_notOnePerLeaf() {
    InMemoryLogStore store = new InMemoryLogStore();
    MerkleTree reference = new MerkleTree();
    TransparencyLog writer = new TransparencyLog(ORIGIN, store);
    int count = 70_000; // tiles at levels 0, 1 and 2
    for (int i = 0; i < count; i++) {
      writer.append(entry(i));
      reference.append(Hash.leaf(entry(i)));
    }
    writer.publishCheckpoint(SIGNER);

    CountingStore counted = new CountingStore(store);
    TransparencyLog cold = new TransparencyLog(ORIGIN, counted);
    InclusionProof proof = cold.inclusionProof(12_345, count);
    ConsistencyProof link = cold.consistencyProof(33_333, count);

    assertThat(proof.path()).isEqualTo(reference.inclusionProof(12_345, count).path());
    assertThat(link.path()).isEqualTo(reference.consistencyProof(33_333, count).path());
    assertThat(counted.leafReads.get()).isZero();
    // the start checks the checkpoint's root, then two proofs: at most one tile per level each
    // (three levels, then cached), not 70 000 leaves
    assertThat(counted.tileReads.get()).isLessThanOrEqualTo(9);
  }

  @Test
  void aStoreWithoutTiles_getsThemRebuiltFromItsLeaves_once() {
    InMemoryLogStore store = new InMemoryLogStore();
    MerkleTree reference = new MerkleTree();
    for (int i = 0; i < 1000; i++) {
      store.append(entry(i)); // written around the log: no tiles, as a store from before them
      reference.append(Hash.leaf(entry(i)));
    }

    TransparencyLog log = new TransparencyLog(ORIGIN, store);
    assertThat(log.root(1000)).isEqualTo(reference.root(1000));
    assertThat(store.tile(0, 3).orElseThrow().width()).isEqualTo(1000 - 768);
    assertThat(store.tile(1, 0).orElseThrow().width()).isEqualTo(3);

    CountingStore counted = new CountingStore(store);
    TransparencyLog again = new TransparencyLog(ORIGIN, counted);
    assertThat(again.inclusionProof(999, 1000).path())
        .isEqualTo(reference.inclusionProof(999, 1000).path());
    assertThat(counted.leafReads.get()).isZero();
  }

  @Test
  void appendsThatLeftNoTiles_areCoveredByTheNextWriter() {
    InMemoryLogStore store = new InMemoryLogStore();
    MerkleTree reference = new MerkleTree();
    TransparencyLog log = new TransparencyLog(ORIGIN, store);
    for (int i = 0; i < 300; i++) {
      byte[] entry = entry(i);
      if (i % 7 == 0) {
        store.append(entry); // a writer that died before saving its tiles
      } else {
        log.append(entry);
      }
      reference.append(Hash.leaf(entry));
    }
    TransparencyLog cold = new TransparencyLog(ORIGIN, store);
    for (long size = 1; size <= 300; size += 13) {
      assertThat(cold.root(size)).as("root at %d", size).isEqualTo(reference.root(size));
    }
  }

  @Test
  void entry_whoseLeafWasRewrittenAfterItsTiles_isRefused() {
    InMemoryLogStore store = new InMemoryLogStore();
    TransparencyLog log = new TransparencyLog(ORIGIN, store);
    for (int i = 0; i < 10; i++) {
      log.append(entry(i));
    }
    LogStore rewritten =
        new CountingStore(store) {
          @Override
          public byte[] leafData(long index) {
            return index == 4
                ? "a receipt the host prefers".getBytes(UTF_8)
                : super.leafData(index);
          }
        };

    TransparencyLog reader = new TransparencyLog(ORIGIN, rewritten);
    assertThat(reader.entry(3)).isEqualTo(entry(3));
    assertThatThrownBy(() -> reader.entry(4))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("entry 4 is not the leaf the tree holds");
  }

  @Test
  void tilesThatDisagreeWithTheCheckpoint_stopTheLogAtStart() {
    InMemoryLogStore store = new InMemoryLogStore();
    TransparencyLog log = new TransparencyLog(ORIGIN, store);
    for (int i = 0; i < 20; i++) {
      log.append(entry(i));
    }
    log.publishCheckpoint(SIGNER);
    byte[] forged = store.tile(0, 0).orElseThrow().hashes();
    forged[5 * Hash.BYTES] ^= 1; // the host edits leaf 5's hash in the tile, not the leaf
    InMemoryLogStore tampered = copyOf(store, 20);
    tampered.saveTiles(List.of(new Tile(0, 0, forged)));

    assertThatThrownBy(() -> new TransparencyLog(ORIGIN, tampered))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("leaves were rewritten");
  }

  private static InMemoryLogStore copyOf(InMemoryLogStore store, int count) {
    InMemoryLogStore copy = new InMemoryLogStore();
    for (int i = 0; i < count; i++) {
      copy.append(store.leafData(i));
    }
    store.latestCheckpoint().ifPresent(copy::saveCheckpoint);
    return copy;
  }

  private static byte[] entry(long i) {
    return ("receipt " + i).getBytes(UTF_8);
  }

  /** Forwards to a store, counting leaf and tile reads. */
  private static class CountingStore implements LogStore {
    final AtomicLong leafReads = new AtomicLong();
    final AtomicLong tileReads = new AtomicLong();
    private final LogStore store;

    CountingStore(LogStore store) {
      this.store = store;
    }

    @Override
    public long append(byte[] leafData) {
      return store.append(leafData);
    }

    @Override
    public long size() {
      return store.size();
    }

    @Override
    public byte[] leafData(long index) {
      leafReads.incrementAndGet();
      return store.leafData(index);
    }

    @Override
    public Hash leafHash(long index) {
      leafReads.incrementAndGet();
      return store.leafHash(index);
    }

    @Override
    public OptionalLong indexOf(Hash leafHash) {
      return store.indexOf(leafHash);
    }

    @Override
    public List<Hash> leafHashes(long from, long to) {
      leafReads.addAndGet(to - from);
      return store.leafHashes(from, to);
    }

    @Override
    public void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
      store.extend(from, entries, checkpoint);
    }

    @Override
    public void saveCheckpoint(SignedCheckpoint checkpoint) {
      store.saveCheckpoint(checkpoint);
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint() {
      return store.latestCheckpoint();
    }

    @Override
    public Optional<Tile> tile(int level, long index) {
      tileReads.incrementAndGet();
      return store.tile(level, index);
    }

    @Override
    public void saveTiles(List<Tile> tiles) {
      store.saveTiles(tiles);
    }
  }
}
