package dev.pinaivu.core.translog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrontierTest {
  @Test
  void root_afterEachAppend_isTheReferenceMth() {
    Frontier frontier = Frontier.empty();
    List<byte[]> leaves = new ArrayList<>();
    assertThat(frontier.root()).isEqualTo(Hash.EMPTY_TREE);
    for (int n = 1; n <= 70; n++) {
      byte[] entry = ("entry " + n).getBytes();
      leaves.add(entry);
      frontier.append(Hash.leaf(entry));
      assertThat(frontier.root().bytes()).isEqualTo(ReferenceMerkle.mth(leaves));
      assertThat(frontier.subtrees()).hasSize(Long.bitCount(n));
    }
  }

  @Test
  void merkleTreeFrontier_atEverySize_continuesLikeTheTree() {
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < 40; i++) {
      tree.append(Hash.leaf(new byte[] {(byte) i}));
    }
    for (long size = 0; size <= 40; size++) {
      Frontier frontier = tree.frontier(size);
      assertThat(frontier.root()).isEqualTo(tree.root(size));
      for (long i = size; i < 40; i++) {
        frontier.append(tree.leafHash(i));
      }
      assertThat(frontier.root()).isEqualTo(tree.root());
    }
  }

  @Test
  void of_withTheWrongNumberOfHashes_isRefused() {
    assertThatThrownBy(() -> Frontier.of(3, List.of(Hash.EMPTY_TREE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 complete subtrees");
  }

  @Test
  void knownAnswer_rootOfTheEightTestLeaves() {
    Frontier frontier = Frontier.empty();
    TreeFixtures.RFC6962_LEAVES.forEach(leaf -> frontier.append(Hash.leaf(leaf)));
    assertThat(frontier.root().hex())
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  }
}
