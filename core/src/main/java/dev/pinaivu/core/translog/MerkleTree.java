package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree held in memory as the hash of every complete subtree: level 0
 * holds the leaf hashes, level h holds node j = MTH(leaves [j·2^h, (j+1)·2^h)).
 *
 * <p>Roots and proofs come from these hashes through {@link TreeProofs}. Costs, for a tree of n
 * leaves: {@link #append} computes one leaf's worth of parents, amortized one node hash and at most
 * log2(n); {@link #root(long)} and both proofs read and hash O(log n) values; memory is 2n hashes
 * (64 bytes per leaf). Not thread-safe.
 */
public final class MerkleTree implements SubtreeHashes {
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
    return TreeProofs.root(this, treeSize);
  }

  /** The {@link Frontier} of the tree as it was at {@code treeSize} leaves. */
  public Frontier frontier(long treeSize) {
    requireSize(treeSize);
    return TreeProofs.frontier(this, treeSize);
  }

  /** PATH(index, D[treeSize]) of RFC 9162 §2.1.3.1. */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    requireSize(treeSize);
    return TreeProofs.inclusionProof(this, leafIndex, treeSize);
  }

  /** PROOF(first, D[second]) of RFC 9162 §2.1.4.1; empty when first is 0 or equals second. */
  public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
    requireSize(secondSize);
    return TreeProofs.consistencyProof(this, firstSize, secondSize);
  }

  @Override
  public Hash subtree(int level, long index) {
    return levels.get(level).get(index);
  }

  private void requireSize(long treeSize) {
    if (treeSize < 0 || treeSize > size()) {
      throw new IllegalArgumentException(
          "tree size " + treeSize + " is beyond the " + size() + " leaves held");
    }
  }
}
