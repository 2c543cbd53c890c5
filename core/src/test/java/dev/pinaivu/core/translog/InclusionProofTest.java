package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.TreeFixtures.entries;
import static dev.pinaivu.core.translog.TreeFixtures.flipped;
import static dev.pinaivu.core.translog.TreeFixtures.treeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InclusionProofTest {
  private static final int MAX_SIZE = 33;
  private static final List<byte[]> ENTRIES = entries(MAX_SIZE);
  private static final MerkleTree TREE = treeOf(ENTRIES);

  @Test
  void verify_whenAnyHashOfTheProofIsAltered_fails() {
    forEveryProof((proof, leaf, root) -> {
      for (int i = 0; i < proof.path().size(); i++) {
        List<Hash> path = new ArrayList<>(proof.path());
        path.set(i, flipped(path.get(i)));
        assertRejected(withPath(proof, path).verify(leaf, root), "leads to root");
      }
    });
  }

  @Test
  void verify_whenTheProofHasAnExtraHash_fails() {
    forEveryProof((proof, leaf, root) -> {
      List<Hash> path = new ArrayList<>(proof.path());
      path.add(root);
      assertRejected(withPath(proof, path).verify(leaf, root), "more hashes");
    });
  }

  @Test
  void verify_whenTheProofLacksAHash_fails() {
    forEveryProof((proof, leaf, root) -> {
      if (!proof.path().isEmpty()) {
        List<Hash> path = proof.path().subList(0, proof.path().size() - 1);
        assertRejected(withPath(proof, path).verify(leaf, root), "fewer hashes");
      }
    });
  }

  @Test
  void verify_withTheWrongIndex_fails() {
    forEveryProof((proof, leaf, root) -> {
      for (long other = 0; other < proof.treeSize(); other++) {
        InclusionProof moved = new InclusionProof(other, proof.treeSize(), proof.path());
        if (other != proof.leafIndex()) {
          assertThat(moved.verify(leaf, root).accepted())
              .as("leaf %d claimed at %d of %d", proof.leafIndex(), other, proof.treeSize())
              .isFalse();
        }
      }
    });
  }

  @Test
  void verify_withAnotherLeafOrRoot_fails() {
    forEveryProof((proof, leaf, root) -> {
      assertRejected(proof.verify(flipped(leaf), root), "leads to root");
      assertRejected(proof.verify(leaf, flipped(root)), "leads to root");
    });
  }

  @Test
  void verify_whenIndexIsNotBelowSize_fails() {
    Hash leaf = Hash.leaf(ENTRIES.get(3));
    assertRejected(
        new InclusionProof(4, 4, List.of()).verify(leaf, TREE.root(4)), "not below the tree size");
    assertRejected(
        new InclusionProof(9, 4, TREE.inclusionProof(3, 4).path()).verify(leaf, TREE.root(4)),
        "not below the tree size");
  }

  @Test
  void verify_inTheEmptyTree_fails() {
    assertRejected(
        new InclusionProof(0, 0, List.of()).verify(Hash.EMPTY_TREE, Hash.EMPTY_TREE),
        "not below the tree size 0");
  }

  @Test
  void verify_forTheOnlyLeaf_needsAnEmptyProofAndTheLeafAsRoot() {
    Hash leaf = Hash.leaf(ENTRIES.get(0));
    assertThat(new InclusionProof(0, 1, List.of()).verify(leaf, leaf).accepted()).isTrue();
    assertRejected(new InclusionProof(0, 1, List.of(leaf)).verify(leaf, leaf), "more hashes");
  }

  @Test
  void construct_withNegativeIndexOrSize_fails() {
    assertThatThrownBy(() -> new InclusionProof(-1, 4, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InclusionProof(0, -4, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private interface ProofCheck {
    void check(InclusionProof proof, Hash leaf, Hash root);
  }

  private static void forEveryProof(ProofCheck check) {
    for (int n = 1; n <= MAX_SIZE; n++) {
      for (int m = 0; m < n; m++) {
        check.check(TREE.inclusionProof(m, n), Hash.leaf(ENTRIES.get(m)), TREE.root(n));
      }
    }
  }

  private static InclusionProof withPath(InclusionProof proof, List<Hash> path) {
    return new InclusionProof(proof.leafIndex(), proof.treeSize(), path);
  }

  private static void assertRejected(Verdict verdict, String reason) {
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains(reason);
  }
}
