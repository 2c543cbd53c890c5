package dev.pinaivu.core.translog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The use case: append entries (receipt bytes) to the log, prove inclusion and consistency, and
 * publish signed checkpoints.
 *
 * <p>The leaves live in the {@link LogStore}; the tree is a {@link MerkleTree} cache of their
 * hashes, filled from the store once at start (O(n) reads) and then per append, so roots and proofs
 * cost O(log n). At start and before each signature, the log checks that the leaves still produce
 * the latest stored checkpoint's root: over a store rewritten or cut between two runs the
 * constructor throws {@link LogIntegrityException}, so the log never serves proofs for, or signs
 * over, a rewritten history. Thread-safe.
 */
public final class TransparencyLog {
  private static final int READ_BATCH = 4096;

  private final String origin;
  private final LogStore store;
  private final MerkleTree tree = new MerkleTree();

  public TransparencyLog(String origin, LogStore store) {
    NoteText.requireLine(origin, "the origin");
    this.origin = origin;
    this.store = store;
    catchUp(store.size());
    latestCheckpoint().ifPresent(previous -> requireExtends(previous.checkpoint(), tree.size()));
  }

  public String origin() {
    return origin;
  }

  /**
   * Appends one entry and returns its leaf index. The store call is made outside the lock; the
   * cached tree takes the leaf hash directly unless other writers appended in between.
   */
  public long append(byte[] entry) {
    byte[] copy = entry.clone();
    Hash leafHash = Hash.leaf(copy);
    long index = store.append(copy);
    synchronized (this) {
      if (tree.size() == index) {
        tree.append(leafHash);
      } else {
        catchUp(index + 1);
      }
    }
    return index;
  }

  public long size() {
    return store.size();
  }

  /** Where the entry with this leaf hash is, if the log holds it. */
  public OptionalLong indexOf(Hash leafHash) {
    return store.indexOf(leafHash);
  }

  /** The entry at {@code index}, as stored. */
  public byte[] entry(long index) {
    return store.leafData(index);
  }

  public synchronized Hash root(long treeSize) {
    catchUp(treeSize);
    return tree.root(treeSize);
  }

  public synchronized InclusionProof inclusionProof(long leafIndex, long treeSize) {
    catchUp(treeSize);
    return tree.inclusionProof(leafIndex, treeSize);
  }

  public synchronized ConsistencyProof consistencyProof(long firstSize, long secondSize) {
    catchUp(secondSize);
    return tree.consistencyProof(firstSize, secondSize);
  }

  /**
   * Signs and stores a checkpoint of the whole log as it is now.
   *
   * @throws LogIntegrityException if the leaves contradict the latest stored checkpoint
   */
  public synchronized SignedCheckpoint publishCheckpoint(NoteSigner signer) {
    long size = store.size();
    if (size < tree.size()) {
      throw new LogIntegrityException(
          "the store shrank from " + tree.size() + " to " + size + " leaves");
    }
    catchUp(size);
    latestCheckpoint().ifPresent(previous -> requireExtends(previous.checkpoint(), size));
    SignedCheckpoint signed =
        SignedCheckpoint.sign(new Checkpoint(origin, size, tree.root(size)), signer);
    store.saveCheckpoint(signed);
    return signed;
  }

  /** The {@link Frontier} at {@code treeSize}: what a restarted coordinator resumes from. */
  public synchronized Frontier frontier(long treeSize) {
    catchUp(treeSize);
    return tree.frontier(treeSize);
  }

  /**
   * Stores entries a coordinator sent, from index {@code from}, with the checkpoint it signed over
   * them. Entries this store already holds must be the same; the rest must bring the tree to the
   * checkpoint's size and root, or nothing is stored.
   *
   * @return the number of new leaves
   * @throws LogIntegrityException when the entries contradict the stored leaves or the checkpoint
   */
  public synchronized long extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
    Checkpoint head = checkpoint.checkpoint();
    if (!head.origin().equals(origin)) {
      throw new LogIntegrityException(
          "a checkpoint of origin \"" + head.origin() + "\" cannot extend " + origin);
    }
    long size = store.size();
    catchUp(size);
    if (from > size || from + entries.size() != head.treeSize()) {
      throw new LogIntegrityException(
          "entries ["
              + from
              + ", "
              + (from + entries.size())
              + ") do not lead a log of "
              + size
              + " leaves to the checkpoint's "
              + head.treeSize());
    }
    int known = (int) Math.min(entries.size(), size - from);
    for (int i = 0; i < known; i++) {
      if (!Hash.leaf(entries.get(i)).equals(tree.leafHash(from + i))) {
        throw new LogIntegrityException("leaf " + (from + i) + " differs from the stored one");
      }
    }
    if (head.treeSize() < size) {
      throw new LogIntegrityException(
          "a checkpoint of " + head.treeSize() + " leaves is behind the " + size + " stored");
    }
    List<byte[]> fresh = entries.subList(known, entries.size());
    Frontier next = tree.frontier(size);
    fresh.forEach(entry -> next.append(Hash.leaf(entry)));
    if (!next.root().equals(head.rootHash())) {
      throw new LogIntegrityException(
          "the stored leaves and the entries sent do not produce the root signed at size "
              + head.treeSize());
    }
    store.extend(size, List.copyOf(fresh), checkpoint);
    fresh.forEach(entry -> tree.append(Hash.leaf(entry)));
    return fresh.size();
  }

  public Optional<SignedCheckpoint> latestCheckpoint() {
    return store.latestCheckpoint();
  }

  private void requireExtends(Checkpoint previous, long size) {
    if (!previous.origin().equals(origin)) {
      throw new LogIntegrityException(
          "the store holds a checkpoint of origin \"" + previous.origin() + "\", not " + origin);
    }
    if (previous.treeSize() > size) {
      throw new LogIntegrityException(
          "a checkpoint was signed at size "
              + previous.treeSize()
              + " but the store holds "
              + size
              + " leaves: leaves were deleted");
    }
    if (!tree.root(previous.treeSize()).equals(previous.rootHash())) {
      throw new LogIntegrityException(
          "the leaves no longer produce the root signed at size "
              + previous.treeSize()
              + ": leaves were rewritten");
    }
  }

  /** Brings the cached tree up to {@code treeSize} leaves, reading only the missing hashes. */
  private synchronized void catchUp(long treeSize) {
    if (treeSize <= tree.size()) {
      return;
    }
    long stored = store.size();
    if (treeSize > stored) {
      throw new IllegalArgumentException(
          "tree size " + treeSize + " is beyond the log's " + stored + " leaves");
    }
    while (tree.size() < treeSize) {
      long from = tree.size();
      store.leafHashes(from, Math.min(treeSize, from + READ_BATCH)).forEach(tree::append);
    }
  }
}
