package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree held in memory as the hash of every complete subtree: level 0
 * holds the leaf hashes, level h holds node j = MTH(leaves [j·2^h, (j+1)·2^h)).
 *
 * <p>Every node of the RFC 9162 tree of any size n is either such a complete subtree or lies on the
 * right edge of the tree, and a right-edge node is the fold of at most log2(n) complete subtrees.
 * Costs, for a tree of n leaves: {@link #append} computes one leaf's worth of parents, amortized
 * one node hash and at most log2(n); {@link #root(long)} and both proofs read and hash O(log n)
 * values; memory is 2n hashes (64 bytes per leaf). Not thread-safe.
 */
public final class MerkleTree {
  private final List<HashColumn> levels = new ArrayList<>();

  public MerkleTree() {
    levels.add(new HashColumn());
  }

  public long size() {
    return levels.get(0).size();
  }

  /** Appends a leaf hash ({@link Hash#leaf} of the entry) and completes the subtrees it closes. */
  public void append(Hash leafHash) {
    levels.get(0).add(leafHash);
    long index = size() - 1;
    Hash hash = leafHash;
    for (int level = 0; (index & 1) == 1; level++, index >>>= 1) {
      if (levels.size() == level + 1) {
        levels.add(new HashColumn());
      }
      hash = Hash.node(levels.get(level).get(index - 1), hash);
      levels.get(level + 1).add(hash);
    }
  }

  public Hash leafHash(long index) {
    return levels.get(0).get(index);
  }

  public Hash root() {
    return root(size());
  }

  /** MTH of the first {@code treeSize} leaves: the root as it was when the tree had that size. */
  public Hash root(long treeSize) {
    requireSize(treeSize);
    return treeSize == 0 ? Hash.EMPTY_TREE : rangeHash(0, treeSize);
  }

  /** The {@link Frontier} of the tree as it was at {@code treeSize} leaves. */
  public Frontier frontier(long treeSize) {
    requireSize(treeSize);
    List<Hash> subtrees = new ArrayList<>();
    long start = 0;
    for (int level = Long.SIZE - 2; level >= 0; level--) {
      if ((treeSize >>> level & 1) == 1) {
        subtrees.add(levels.get(level).get(start >>> level));
        start += 1L << level;
      }
    }
    return Frontier.of(treeSize, subtrees);
  }

  /** PATH(index, D[treeSize]) of RFC 9162 §2.1.3.1. */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    requireSize(treeSize);
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " is not in a tree of size " + treeSize);
    }
    return new InclusionProof(leafIndex, treeSize, siblings(leafIndex, 0, treeSize));
  }

  /** PROOF(first, D[second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second. */
  public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
    requireSize(secondSize);
    if (firstSize < 0 || firstSize > secondSize) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + firstSize + " to size " + secondSize);
    }
    List<Hash> path = new ArrayList<>();
    if (firstSize > 0 && firstSize < secondSize) {
      // The old tree's last leaf closes this complete subtree, which both trees contain.
      int level = Long.numberOfTrailingZeros(firstSize);
      if (firstSize != 1L << level) { // else it is the whole old tree, whose root the verifier has
        path.add(levels.get(level).get((firstSize - 1) >>> level));
      }
      path.addAll(siblings(firstSize - 1, level, secondSize));
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
  private List<Hash> siblings(long leaf, int fromLevel, long treeSize) {
    List<Hash> path = new ArrayList<>();
    long last = treeSize - 1;
    int meet = Long.SIZE - Long.numberOfLeadingZeros(leaf ^ last);
    for (int level = fromLevel; level < meet; level++) {
      long start = ((leaf >>> level) ^ 1) << level;
      path.add(rangeHash(start, Math.min(start + (1L << level), treeSize)));
    }
    for (int level = Math.max(meet, fromLevel); level < Long.SIZE - 1; level++) {
      if ((last >>> level & 1) == 1) {
        path.add(levels.get(level).get((last >>> level) ^ 1));
      }
    }
    return path;
  }

  /**
   * MTH(D[start:end]) for a range that starts on a multiple of the smallest power of two at least
   * its length, as every range in the RFC recursion does. Its complete subtrees are sized by the
   * bits of the length, largest first; MTH folds them from the right.
   */
  private Hash rangeHash(long start, long end) {
    long length = end - start;
    long blockEnd = end;
    Hash folded = null;
    for (int level = 0; level < Long.SIZE - 1; level++) {
      if ((length >>> level & 1) == 1) {
        blockEnd -= 1L << level;
        Hash block = levels.get(level).get(blockEnd >>> level);
        folded = folded == null ? block : Hash.node(block, folded);
      }
    }
    return folded;
  }

  private void requireSize(long treeSize) {
    if (treeSize < 0 || treeSize > size()) {
      throw new IllegalArgumentException(
          "tree size " + treeSize + " is beyond the " + size() + " leaves held");
    }
  }
}
