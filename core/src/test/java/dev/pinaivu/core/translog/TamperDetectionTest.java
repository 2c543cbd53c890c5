package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.NoteKeys.ORIGIN;
import static dev.pinaivu.core.translog.TreeFixtures.entries;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A coordinator that rewrites or deletes a receipt it already committed to in a checkpoint cannot
 * convince a client holding that checkpoint: the honest-looking proofs its rewritten log produces
 * fail, and the log itself refuses to run over a rewritten store.
 */
class TamperDetectionTest {
  private static final NoteSigner SIGNER = NoteKeys.logSigner();
  private static final CheckpointVerifier CLIENT =
      new CheckpointVerifier(ORIGIN, SIGNER.verifier());
  private static final List<byte[]> HISTORY = entries(13);
  private static final int VICTIM = 5;

  @Test
  void consistency_whenLeafRewritten_fails() {
    Checkpoint held = publishedCheckpointOf(HISTORY);
    TransparencyLog rewritten = logOf(grow(rewrite(HISTORY), 4));
    Checkpoint later = CLIENT.verify(rewritten.publishCheckpoint(SIGNER).format());

    Verdict verdict =
        rewritten
            .consistencyProof(held.treeSize(), later.treeSize())
            .verify(held.rootHash(), later.rootHash());

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains("rebuilds the first root");
  }

  @Test
  void consistency_fromAPowerOfTwoSize_whenLeafRewritten_fails() {
    List<byte[]> history = entries(16);
    Checkpoint held = publishedCheckpointOf(history);
    List<byte[]> changed = new ArrayList<>(history);
    changed.set(VICTIM, "another receipt".getBytes(UTF_8));
    TransparencyLog rewritten = logOf(grow(changed, 3));
    Checkpoint later = CLIENT.verify(rewritten.publishCheckpoint(SIGNER).format());

    Verdict verdict =
        rewritten
            .consistencyProof(held.treeSize(), later.treeSize())
            .verify(held.rootHash(), later.rootHash());

    assertThat(verdict.accepted()).isFalse();
  }

  @Test
  void consistency_whenLeafDeleted_fails() {
    Checkpoint held = publishedCheckpointOf(HISTORY);
    TransparencyLog cut = logOf(grow(delete(HISTORY), 4));
    Checkpoint later = CLIENT.verify(cut.publishCheckpoint(SIGNER).format());

    Verdict verdict =
        cut.consistencyProof(held.treeSize(), later.treeSize())
            .verify(held.rootHash(), later.rootHash());

    assertThat(verdict.accepted()).isFalse();
  }

  @Test
  void inclusion_ofTheOriginalLeaf_whenRewritten_failsAgainstTheNewRoot() {
    TransparencyLog rewritten = logOf(grow(rewrite(HISTORY), 4));
    Checkpoint later = CLIENT.verify(rewritten.publishCheckpoint(SIGNER).format());

    Verdict verdict =
        rewritten
            .inclusionProof(VICTIM, later.treeSize())
            .verify(Hash.leaf(HISTORY.get(VICTIM)), later.rootHash());

    assertThat(verdict.accepted()).isFalse();
  }

  @Test
  void inclusion_ofTheOriginalLeaf_whenDeleted_failsAgainstTheNewRoot() {
    TransparencyLog cut = logOf(grow(delete(HISTORY), 4));
    Checkpoint later = CLIENT.verify(cut.publishCheckpoint(SIGNER).format());
    Hash original = Hash.leaf(HISTORY.get(VICTIM));

    for (long index = 0; index < later.treeSize(); index++) {
      InclusionProof proof = cut.inclusionProof(index, later.treeSize());
      assertThat(proof.verify(original, later.rootHash()).accepted()).as("at %d", index).isFalse();
    }
  }

  @Test
  void inclusion_ofTheOriginalProof_failsAgainstTheRewrittenRoot() {
    TransparencyLog honest = logOf(HISTORY);
    InclusionProof kept = honest.inclusionProof(VICTIM, HISTORY.size());
    Hash rewrittenRoot = logOf(rewrite(HISTORY)).root(HISTORY.size());

    assertThat(kept.verify(Hash.leaf(HISTORY.get(VICTIM)), rewrittenRoot).accepted()).isFalse();
  }

  @Test
  void twoCheckpointsOfOneSize_withDifferentRoots_proveEquivocation() {
    Checkpoint honest = publishedCheckpointOf(HISTORY);
    Checkpoint forked = publishedCheckpointOf(rewrite(HISTORY));
    assertThat(honest.treeSize()).isEqualTo(forked.treeSize());

    Verdict verdict =
        new ConsistencyProof(honest.treeSize(), forked.treeSize(), List.of())
            .verify(honest.rootHash(), forked.rootHash());

    assertThat(verdict.reason()).contains("two different roots for size 13");
  }

  @Test
  void restart_overAStoreWithARewrittenLeaf_refusesToRun() {
    InMemoryLogStore store = storeOf(grow(rewrite(HISTORY), 2));
    store.saveCheckpoint(publishedSignedCheckpointOf(HISTORY));

    assertThatThrownBy(() -> new TransparencyLog(ORIGIN, store))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("leaves were rewritten");
  }

  @Test
  void restart_overAStoreWithADeletedLeaf_refusesToRun() {
    InMemoryLogStore store = storeOf(delete(HISTORY));
    store.saveCheckpoint(publishedSignedCheckpointOf(HISTORY));

    assertThatThrownBy(() -> new TransparencyLog(ORIGIN, store))
        .isInstanceOf(LogIntegrityException.class)
        .hasMessageContaining("leaves were deleted");
  }

  private static Checkpoint publishedCheckpointOf(List<byte[]> entries) {
    return CLIENT.verify(publishedSignedCheckpointOf(entries).format());
  }

  private static SignedCheckpoint publishedSignedCheckpointOf(List<byte[]> entries) {
    return logOf(entries).publishCheckpoint(SIGNER);
  }

  private static TransparencyLog logOf(List<byte[]> entries) {
    return new TransparencyLog(ORIGIN, storeOf(entries));
  }

  private static InMemoryLogStore storeOf(List<byte[]> entries) {
    InMemoryLogStore store = new InMemoryLogStore();
    entries.forEach(store::append);
    return store;
  }

  private static List<byte[]> rewrite(List<byte[]> entries) {
    List<byte[]> changed = new ArrayList<>(entries);
    changed.set(VICTIM, "a receipt the coordinator would rather show".getBytes(UTF_8));
    return changed;
  }

  private static List<byte[]> delete(List<byte[]> entries) {
    List<byte[]> changed = new ArrayList<>(entries);
    changed.remove(VICTIM);
    return changed;
  }

  private static List<byte[]> grow(List<byte[]> entries, int more) {
    List<byte[]> grown = new ArrayList<>(entries);
    for (int i = 0; i < more; i++) {
      grown.add(("later receipt " + i).getBytes(UTF_8));
    }
    return grown;
  }
}
