package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole state an appender needs of an RFC 9162 tree: its size and the roots of its complete
 * subtrees, one per set bit of the size, largest (leftmost) first. That is at most 63 hashes
 * whatever the size, so the enclave holds the log's head without holding its leaves.
 *
 * <p>Given a size, these hashes fold into the root in exactly one way, so a frontier that folds to
 * a signed root is the frontier of that tree unless SHA-256 collides: a coordinator can resume from
 * hashes handed to it by an untrusted parent after checking only the fold. Not thread-safe.
 */
public final class Frontier {
  private final List<Hash> subtrees;
  private long size;

  private Frontier(long size, List<Hash> subtrees) {
    this.size = size;
    this.subtrees = new ArrayList<>(subtrees);
  }

  public static Frontier empty() {
    return new Frontier(0, List.of());
  }

  /**
   * The frontier of a tree of {@code size} leaves from its complete subtree roots, largest first.
   *
   * @throws IllegalArgumentException when there is not one hash per set bit of the size
   */
  public static Frontier of(long size, List<Hash> subtrees) {
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + size);
    }
    if (subtrees.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a tree of "
              + size
              + " leaves has "
              + Long.bitCount(size)
              + " complete subtrees, not "
              + subtrees.size());
    }
    return new Frontier(size, subtrees);
  }

  public long size() {
    return size;
  }

  /** The complete subtree roots, largest first. */
  public List<Hash> subtrees() {
    return List.copyOf(subtrees);
  }

  /** Appends a leaf hash, merging the subtrees it completes: amortized one node hash. */
  public void append(Hash leafHash) {
    Hash hash = leafHash;
    for (long n = size; (n & 1) == 1; n >>>= 1) {
      hash = Hash.node(subtrees.removeLast(), hash);
    }
    subtrees.add(hash);
    size++;
  }

  /** MTH of the tree: the subtrees folded from the right. */
  public Hash root() {
    if (subtrees.isEmpty()) {
      return Hash.EMPTY_TREE;
    }
    Hash root = subtrees.getLast();
    for (int i = subtrees.size() - 2; i >= 0; i--) {
      root = Hash.node(subtrees.get(i), root);
    }
    return root;
  }

  public Frontier copy() {
    return new Frontier(size, subtrees);
  }
}
