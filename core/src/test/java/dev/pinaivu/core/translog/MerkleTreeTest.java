package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.TreeFixtures.entries;
import static dev.pinaivu.core.translog.TreeFixtures.hashes;
import static dev.pinaivu.core.translog.TreeFixtures.treeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final int MAX_SIZE = 64;
  private static final List<byte[]> ENTRIES = entries(MAX_SIZE);
  private static final MerkleTree TREE = treeOf(ENTRIES);

  @Test
  void root_forEverySizeUpTo64_matchesTheRfcDefinition() {
    for (int n = 0; n <= MAX_SIZE; n++) {
      assertThat(TREE.root(n)).as("size %d", n).isEqualTo(new Hash(reference(n)));
    }
  }

  @Test
  void root_ofTheEmptyTree_isSha256OfNothing() {
    assertThat(new MerkleTree().root().hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void inclusionProof_forEveryLeafOfEverySizeUpTo64_isThePathOfTheRfcAndVerifies() {
    for (int n = 1; n <= MAX_SIZE; n++) {
      Hash root = TREE.root(n);
      for (int m = 0; m < n; m++) {
        InclusionProof proof = TREE.inclusionProof(m, n);
        assertThat(proof.path())
            .as("leaf %d of %d", m, n)
            .isEqualTo(hashes(ReferenceMerkle.path(m, ENTRIES.subList(0, n))));
        assertThat(proof.verify(Hash.leaf(ENTRIES.get(m)), root).accepted()).isTrue();
      }
    }
  }

  @Test
  void consistencyProof_forEveryPairOfSizesUpTo64_isTheProofOfTheRfcAndVerifies() {
    for (int n = 1; n <= MAX_SIZE; n++) {
      for (int m = 1; m < n; m++) {
        ConsistencyProof proof = TREE.consistencyProof(m, n);
        assertThat(proof.path())
            .as("from %d to %d", m, n)
            .isEqualTo(hashes(ReferenceMerkle.proof(m, ENTRIES.subList(0, n))));
        assertThat(proof.verify(TREE.root(m), TREE.root(n)).reason()).isEmpty();
      }
    }
  }

  @Test
  void consistencyProof_fromEmptyOrToTheSameSize_isEmptyAndVerifies() {
    for (int n = 0; n <= MAX_SIZE; n++) {
      assertThat(TREE.consistencyProof(0, n).path()).isEmpty();
      assertThat(TREE.consistencyProof(n, n).path()).isEmpty();
      assertThat(TREE.consistencyProof(0, n).verify(Hash.EMPTY_TREE, TREE.root(n)).accepted())
          .isTrue();
      assertThat(TREE.consistencyProof(n, n).verify(TREE.root(n), TREE.root(n)).accepted())
          .isTrue();
    }
  }

  @Test
  void inclusionProof_whenIndexIsNotInTheTree_fails() {
    assertThatThrownBy(() -> TREE.inclusionProof(5, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaf index 5");
    assertThatThrownBy(() -> TREE.inclusionProof(-1, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TREE.inclusionProof(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void proofs_forASizeBeyondTheLeavesHeld_fail() {
    assertThatThrownBy(() -> TREE.root(MAX_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tree size 65");
    assertThatThrownBy(() -> TREE.inclusionProof(0, MAX_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TREE.consistencyProof(1, MAX_SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void consistencyProof_whenFirstExceedsSecond_fails() {
    assertThatThrownBy(() -> TREE.consistencyProof(9, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from size 9 to size 8");
  }

  @Test
  void leafHash_isTheRfcLeafHashOfTheEntry() {
    assertThat(TREE.leafHash(7)).isEqualTo(new Hash(ReferenceMerkle.mth(ENTRIES.subList(7, 8))));
  }

  private static byte[] reference(int n) {
    return ReferenceMerkle.mth(ENTRIES.subList(0, n));
  }
}
