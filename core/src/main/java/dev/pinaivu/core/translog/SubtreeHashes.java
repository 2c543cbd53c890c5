package dev.pinaivu.core.translog;

/**
 * Where a tree's complete subtree hashes come from: node {@code index} at {@code level} is MTH of
 * leaves {@code [index·2^level, (index+1)·2^level)}, asked only for subtrees that are complete in
 * the tree being proven. {@link MerkleTree} holds them in memory; {@link TiledTree} reads them from
 * a store's tiles. {@link TreeProofs} computes roots and proofs from either.
 */
interface SubtreeHashes {
  Hash subtree(int level, long index);
}
