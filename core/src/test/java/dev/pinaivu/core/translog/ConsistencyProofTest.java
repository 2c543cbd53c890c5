package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.TreeFixtures.entries;
import static dev.pinaivu.core.translog.TreeFixtures.flipped;
import static dev.pinaivu.core.translog.TreeFixtures.treeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyProofTest {
  private static final int MAX_SIZE = 33;
  private static final MerkleTree TREE = treeOf(entries(MAX_SIZE));

  @Test
  void verify_whenAnyHashOfTheProofIsAltered_fails() {
    forEveryProof(proof -> {
      for (int i = 0; i < proof.path().size(); i++) {
        List<Hash> path = new ArrayList<>(proof.path());
        path.set(i, flipped(path.get(i)));
        assertThat(verify(withPath(proof, path)).accepted())
            .as("hash %d from %d to %d", i, proof.firstSize(), proof.secondSize())
            .isFalse();
      }
    });
  }

  @Test
  void verify_whenTheProofHasAnExtraHash_fails() {
    forEveryProof(proof -> {
      List<Hash> path = new ArrayList<>(proof.path());
      path.add(TREE.root(proof.firstSize()));
      assertRejected(verify(withPath(proof, path)), "more hashes");
    });
  }

  @Test
  void verify_whenTheProofLacksAHash_fails() {
    forEveryProof(proof -> {
      List<Hash> path = proof.path().subList(0, proof.path().size() - 1);
      assertThat(verify(withPath(proof, path)).accepted()).isFalse();
    });
  }

  @Test
  void verify_withAnotherFirstRoot_failsAsNotAPrefix() {
    forEveryProof(proof ->
        assertThat(
                proof
                    .verify(flipped(TREE.root(proof.firstSize())), TREE.root(proof.secondSize()))
                    .accepted())
            .isFalse());
    ConsistencyProof proof = TREE.consistencyProof(6, 8);
    assertRejected(proof.verify(flipped(TREE.root(6)), TREE.root(8)), "not a prefix");
  }

  @Test
  void verify_withAnotherSecondRoot_fails() {
    forEveryProof(proof ->
        assertRejected(
            proof.verify(TREE.root(proof.firstSize()), flipped(TREE.root(proof.secondSize()))),
            "second root"));
  }

  @Test
  void verify_withTheWrongSizes_fails() {
    forEveryProof(proof -> {
      for (long m = 1; m < proof.secondSize(); m++) {
        if (m != proof.firstSize()) {
          ConsistencyProof moved = new ConsistencyProof(m, proof.secondSize(), proof.path());
          assertThat(moved.verify(TREE.root(m), TREE.root(proof.secondSize())).accepted())
              .isFalse();
        }
      }
    });
  }

  @Test
  void verify_whenFirstExceedsSecond_fails() {
    ConsistencyProof proof = TREE.consistencyProof(3, 7);
    assertRejected(
        new ConsistencyProof(7, 3, proof.path()).verify(TREE.root(7), TREE.root(3)),
        "first tree size 7 exceeds the second, 3");
  }

  @Test
  void verify_anEmptyProofBetweenDifferentSizes_fails() {
    assertRejected(
        new ConsistencyProof(3, 7, List.of()).verify(TREE.root(3), TREE.root(7)), "empty proof");
  }

  @Test
  void verify_betweenEqualSizes_needsAnEmptyProofAndEqualRoots() {
    assertThat(new ConsistencyProof(5, 5, List.of()).verify(TREE.root(5), TREE.root(5)).accepted())
        .isTrue();
    assertRejected(
        new ConsistencyProof(5, 5, List.of()).verify(TREE.root(5), flipped(TREE.root(5))),
        "two different roots for size 5");
    assertRejected(
        new ConsistencyProof(5, 5, List.of(TREE.root(5))).verify(TREE.root(5), TREE.root(5)),
        "must be empty");
  }

  @Test
  void verify_fromTheEmptyTree_needsAnEmptyProofAndTheEmptyRoot() {
    assertThat(
            new ConsistencyProof(0, 9, List.of()).verify(Hash.EMPTY_TREE, TREE.root(9)).accepted())
        .isTrue();
    assertRejected(
        new ConsistencyProof(0, 9, List.of()).verify(TREE.root(1), TREE.root(9)),
        "root of the empty tree");
    assertRejected(
        new ConsistencyProof(0, 9, List.of(TREE.root(9))).verify(Hash.EMPTY_TREE, TREE.root(9)),
        "must be empty");
    assertThat(
            new ConsistencyProof(0, 0, List.of())
                .verify(Hash.EMPTY_TREE, Hash.EMPTY_TREE)
                .accepted())
        .isTrue();
  }

  @Test
  void construct_withANegativeSize_fails() {
    assertThatThrownBy(() -> new ConsistencyProof(-1, 4, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void forEveryProof(java.util.function.Consumer<ConsistencyProof> check) {
    for (int n = 2; n <= MAX_SIZE; n++) {
      for (int m = 1; m < n; m++) {
        check.accept(TREE.consistencyProof(m, n));
      }
    }
  }

  private static Verdict verify(ConsistencyProof proof) {
    return proof.verify(TREE.root(proof.firstSize()), TREE.root(proof.secondSize()));
  }

  private static ConsistencyProof withPath(ConsistencyProof proof, List<Hash> path) {
    return new ConsistencyProof(proof.firstSize(), proof.secondSize(), path);
  }

  private static void assertRejected(Verdict verdict, String reason) {
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains(reason);
  }
}
