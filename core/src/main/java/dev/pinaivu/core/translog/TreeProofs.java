package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * Roots, proofs and frontiers of RFC 9162 trees from their complete subtree hashes alone.
 *
 * <p>Every node of the tree of size n is either a complete subtree or lies on its right edge, and a
 * right-edge node is the fold of at most log2(n) complete subtrees; so each result below reads and
 * hashes O(log n) subtree hashes, wherever they are kept.
 */
final class TreeProofs {
  private TreeProofs() {}

  /** MTH of the first {@code treeSize} leaves. */
  static Hash root(SubtreeHashes tree, long treeSize) {
    return treeSize == 0 ? Hash.EMPTY_TREE : rangeHash(tree, 0, treeSize);
  }

  /** The {@link Frontier} of the tree of {@code treeSize} leaves. */
  static Frontier frontier(SubtreeHashes tree, long treeSize) {
    List<Hash> subtrees = new ArrayList<>();
    long start = 0;
    for (int level = Long.SIZE - 2; level >= 0; level--) {
      if ((treeSize >>> level & 1) == 1) {
        subtrees.add(tree.subtree(level, start >>> level));
        start += 1L << level;
      }
    }
    return Frontier.of(treeSize, subtrees);
  }

  /** PATH(index, D[treeSize]) of RFC 9162 §2.1.3.1. */
  static InclusionProof inclusionProof(SubtreeHashes tree, long leafIndex, long treeSize) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " is not in a tree of size " + treeSize);
    }
    return new InclusionProof(leafIndex, treeSize, siblings(tree, leafIndex, 0, treeSize));
  }

  /** PROOF(first, D[second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second. */
  static ConsistencyProof consistencyProof(SubtreeHashes tree, long firstSize, long secondSize) {
    if (firstSize < 0 || firstSize > secondSize) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + firstSize + " to size " + secondSize);
    }
    List<Hash> path = new ArrayList<>();
    if (firstSize > 0 && firstSize < secondSize) {
      // The old tree's last leaf closes this complete subtree, which both trees contain.
      int level = Long.numberOfTrailingZeros(firstSize);
      if (firstSize != 1L << level) { // else it is the whole old tree, whose root the verifier has
        path.add(tree.subtree(level, (firstSize - 1) >>> level));
      }
      path.addAll(siblings(tree, firstSize - 1, level, secondSize));
    }
    return new ConsistencyProof(firstSize, secondSize, path);
  }

  /**
   * The siblings, bottom up, of the nodes above leaf {@code leaf} from height {@code fromLevel} to
   * the root of the tree of size {@code treeSize}. Below the height where the leaf's path meets the
   * right edge (the bit length of leaf XOR last leaf), each sibling is the neighbouring aligned
   * block, cut at the tree's end; above it the path is the right edge itself, and the siblings are
   * the complete subtrees to its left, one per set bit of the last leaf's index.
   */
  private static List<Hash> siblings(SubtreeHashes tree, long leaf, int fromLevel, long treeSize) {
    List<Hash> path = new ArrayList<>();
    long last = treeSize - 1;
    int meet = Long.SIZE - Long.numberOfLeadingZeros(leaf ^ last);
    for (int level = fromLevel; level < meet; level++) {
      long start = ((leaf >>> level) ^ 1) << level;
      path.add(rangeHash(tree, start, Math.min(start + (1L << level), treeSize)));
    }
    for (int level = Math.max(meet, fromLevel); level < Long.SIZE - 1; level++) {
      if ((last >>> level & 1) == 1) {
        path.add(tree.subtree(level, (last >>> level) ^ 1));
      }
    }
    return path;
  }

  /**
   * MTH(D[start:end]) for a range that starts on a multiple of the smallest power of two at least
   * its length, as every range in the RFC recursion does. Its complete subtrees are sized by the
   * bits of the length, largest first; MTH folds them from the right.
   */
  private static Hash rangeHash(SubtreeHashes tree, long start, long end) {
    long length = end - start;
    long blockEnd = end;
    Hash folded = null;
    for (int level = 0; level < Long.SIZE - 1; level++) {
      if ((length >>> level & 1) == 1) {
        blockEnd -= 1L << level;
        Hash block = tree.subtree(level, blockEnd >>> level);
        folded = folded == null ? block : Hash.node(block, folded);
      }
    }
    return folded;
  }
}
