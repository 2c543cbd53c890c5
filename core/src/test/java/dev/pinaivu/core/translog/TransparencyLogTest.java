package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.NoteKeys.ORIGIN;
import static dev.pinaivu.core.translog.TreeFixtures.entries;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransparencyLogTest {
  private static final NoteSigner SIGNER = NoteKeys.logSigner();
  private static final CheckpointVerifier CLIENT =
      new CheckpointVerifier(ORIGIN, SIGNER.verifier());

  private final InMemoryLogStore store = new InMemoryLogStore();
  private final TransparencyLog log = new TransparencyLog(ORIGIN, store);

  @Test
  void append_returnsTheLeafIndexOfEachEntry() {
    List<byte[]> entries = entries(5);
    for (int i = 0; i < entries.size(); i++) {
      assertThat(log.append(entries.get(i))).isEqualTo(i);
    }
    assertThat(log.size()).isEqualTo(5);
    assertThat(store.leafData(3)).isEqualTo(entries.get(3));
  }

  @Test
  void inclusionProof_ofEveryEntry_verifiesAgainstThePublishedCheckpoint() {
    List<byte[]> entries = entries(21);
    entries.forEach(log::append);
    Checkpoint checkpoint = CLIENT.verify(log.publishCheckpoint(SIGNER).format());
    assertThat(checkpoint.treeSize()).isEqualTo(21);
    for (int i = 0; i < entries.size(); i++) {
      InclusionProof proof = log.inclusionProof(i, checkpoint.treeSize());
      assertThat(proof.verify(Hash.leaf(entries.get(i)), checkpoint.rootHash()).accepted())
          .isTrue();
    }
  }

  @Test
  void consistencyProof_betweenTwoPublishedCheckpoints_verifies() {
    entries(13).forEach(log::append);
    Checkpoint older = CLIENT.verify(log.publishCheckpoint(SIGNER).format());
    entries(30).subList(13, 30).forEach(log::append);
    Checkpoint newer = CLIENT.verify(log.publishCheckpoint(SIGNER).format());
    ConsistencyProof proof = log.consistencyProof(older.treeSize(), newer.treeSize());
    assertThat(proof.verify(older.rootHash(), newer.rootHash()).accepted()).isTrue();
  }

  @Test
  void publishCheckpoint_storesItAsTheLatest() {
    entries(3).forEach(log::append);
    SignedCheckpoint published = log.publishCheckpoint(SIGNER);
    assertThat(store.latestCheckpoint()).contains(published);
    assertThat(log.latestCheckpoint()).contains(published);
  }

  @Test
  void publishCheckpoint_ofTheEmptyLog_signsSizeZeroAndTheEmptyRoot() {
    Checkpoint checkpoint = CLIENT.verify(log.publishCheckpoint(SIGNER).format());
    assertThat(checkpoint.treeSize()).isZero();
    assertThat(checkpoint.rootHash()).isEqualTo(Hash.EMPTY_TREE);
  }

  @Test
  void aNewLogOverTheSameStore_resumesWithTheSameTree() {
    entries(10).forEach(log::append);
    SignedCheckpoint before = log.publishCheckpoint(SIGNER);
    TransparencyLog restarted = new TransparencyLog(ORIGIN, store);
    assertThat(restarted.root(10)).isEqualTo(before.checkpoint().rootHash());
    assertThat(restarted.append("after restart".getBytes(UTF_8))).isEqualTo(10);
    assertThat(
            restarted.consistencyProof(10, 11).verify(log.root(10), restarted.root(11)).accepted())
        .isTrue();
  }

  @Test
  void appendsByAnotherLogOnTheSameStore_areSeenByProofs() {
    TransparencyLog other = new TransparencyLog(ORIGIN, store);
    entries(6).forEach(other::append);
    assertThat(log.root(6)).isEqualTo(other.root(6));
    assertThat(log.inclusionProof(5, 6)).isEqualTo(other.inclusionProof(5, 6));
  }

  @Test
  void proofs_beyondTheLogSize_failClearly() {
    entries(4).forEach(log::append);
    assertThatThrownBy(() -> log.root(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tree size 5 is beyond the log's 4 leaves");
    assertThatThrownBy(() -> log.inclusionProof(4, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaf index 4");
    assertThatThrownBy(() -> log.consistencyProof(3, 9))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void append_whenConcurrent_logsEveryEntryProvably() throws Exception {
    int threads = 4;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<long[]>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(() -> {
              List<long[]> appended = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                appended.add(new long[] {log.append(entry(thread, i)), thread, i});
              }
              return appended;
            }));
      }
      for (Future<List<long[]>> result : results) {
        result.get(30, TimeUnit.SECONDS);
      }
      Checkpoint checkpoint = CLIENT.verify(log.publishCheckpoint(SIGNER).format());
      assertThat(checkpoint.treeSize()).isEqualTo(threads * perThread);
      for (Future<List<long[]>> result : results) {
        for (long[] appended : result.get()) {
          byte[] entry = entry((int) appended[1], (int) appended[2]);
          InclusionProof proof = log.inclusionProof(appended[0], checkpoint.treeSize());
          assertThat(proof.verify(Hash.leaf(entry), checkpoint.rootHash()).accepted()).isTrue();
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void construct_overAStoreOfAnotherOrigin_fails() {
    entries(2).forEach(log::append);
    log.publishCheckpoint(SIGNER);
    assertThatThrownBy(() -> new TransparencyLog("log.pinaivu.dev/other", store))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("origin");
  }

  private static byte[] entry(int thread, int i) {
    return ("thread " + thread + " receipt " + i).getBytes(UTF_8);
  }
}
