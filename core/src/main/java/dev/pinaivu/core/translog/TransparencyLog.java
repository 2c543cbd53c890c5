package dev.pinaivu.core.translog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The use case: append entries (receipt bytes) to the log, prove inclusion and consistency, and
 * publish signed checkpoints.
 *
 * <p>The leaves live in the {@link LogStore}, and the tree in its {@link Tile}s, which every append
 * and extend saves after the leaves: roots and proofs read about log2(n)/8 tiles, so a process that
 * has just started (a Lambda, say) proves without reading the log. Tiles missing or behind (a store
 * from before tiles, a writer that died in between) are rebuilt from the leaves on first use. At
 * start and before each signature, the log checks that the tree still produces the latest stored
 * checkpoint's root, and each entry it serves is checked against its leaf hash in the tree: over a
 * store cut, rewritten or whose tiles disagree with its leaves it throws {@link
 * LogIntegrityException}, so the log never serves proofs for, or signs over, a rewritten history.
 * Thread-safe.
 */
public final class TransparencyLog {
  private final String origin;
  private final LogStore store;
  private final TiledTree tree;
  private long knownSize; // the largest size seen: below it every leaf is committed for good

  public TransparencyLog(String origin, LogStore store) {
    NoteText.requireLine(origin, "the origin");
    this.origin = origin;
    this.store = store;
    this.tree = new TiledTree(store);
    this.knownSize = store.size();
    latestCheckpoint().ifPresent(previous -> requireExtends(previous.checkpoint(), knownSize));
  }

  public String origin() {
    return origin;
  }

  /**
   * Appends one entry and returns its leaf index. The store call is made outside the lock; the
   * tiles the leaf changes are saved after it (a tile another writer has not saved yet is rebuilt
   * from the leaves).
   */
  public long append(byte[] entry) {
    byte[] copy = entry.clone();
    long index = store.append(copy);
    synchronized (this) {
      knownSize = Math.max(knownSize, index + 1);
      store.saveTiles(tree.grow(index, List.of(Hash.leaf(copy))));
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

  /**
   * The entry at {@code index}, as stored, once its hash is checked against the tree.
   *
   * @throws LogIntegrityException when the stored entry is not the leaf the tree holds
   */
  public byte[] entry(long index) {
    byte[] data = store.leafData(index);
    synchronized (this) {
      requireCommitted(index + 1);
      if (!Hash.leaf(data).equals(tree.subtree(0, index))) {
        throw new LogIntegrityException(
            "entry " + index + " is not the leaf the tree holds: it was rewritten");
      }
    }
    return data;
  }

  public synchronized Hash root(long treeSize) {
    requireCommitted(treeSize);
    return TreeProofs.root(tree, treeSize);
  }

  public synchronized InclusionProof inclusionProof(long leafIndex, long treeSize) {
    requireCommitted(treeSize);
    return TreeProofs.inclusionProof(tree, leafIndex, treeSize);
  }

  public synchronized ConsistencyProof consistencyProof(long firstSize, long secondSize) {
    requireCommitted(secondSize);
    return TreeProofs.consistencyProof(tree, firstSize, secondSize);
  }

  /**
   * Signs and stores a checkpoint of the whole log as it is now.
   *
   * @throws LogIntegrityException if the leaves contradict the latest stored checkpoint
   */
  public synchronized SignedCheckpoint publishCheckpoint(NoteSigner signer) {
    long size = currentSize();
    latestCheckpoint().ifPresent(previous -> requireExtends(previous.checkpoint(), size));
    SignedCheckpoint signed =
        SignedCheckpoint.sign(new Checkpoint(origin, size, TreeProofs.root(tree, size)), signer);
    store.saveCheckpoint(signed);
    return signed;
  }

  /** The {@link Frontier} at {@code treeSize}: what a restarted coordinator resumes from. */
  public synchronized Frontier frontier(long treeSize) {
    requireCommitted(treeSize);
    return TreeProofs.frontier(tree, treeSize);
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
    long size = currentSize();
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
      if (!Hash.leaf(entries.get(i)).equals(tree.subtree(0, from + i))) {
        throw new LogIntegrityException("leaf " + (from + i) + " differs from the stored one");
      }
    }
    if (head.treeSize() < size) {
      throw new LogIntegrityException(
          "a checkpoint of " + head.treeSize() + " leaves is behind the " + size + " stored");
    }
    List<Hash> fresh = entries.subList(known, entries.size()).stream().map(Hash::leaf).toList();
    Frontier next = TreeProofs.frontier(tree, size);
    fresh.forEach(next::append);
    if (!next.root().equals(head.rootHash())) {
      throw new LogIntegrityException(
          "the stored leaves and the entries sent do not produce the root signed at size "
              + head.treeSize());
    }
    store.extend(size, List.copyOf(entries.subList(known, entries.size())), checkpoint);
    knownSize = Math.max(knownSize, head.treeSize());
    store.saveTiles(tree.grow(size, fresh));
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
    if (!TreeProofs.root(tree, previous.treeSize()).equals(previous.rootHash())) {
      throw new LogIntegrityException(
          "the leaves no longer produce the root signed at size "
              + previous.treeSize()
              + ": leaves were rewritten");
    }
  }

  /** The store's size now, which may not be below one seen before. */
  private long currentSize() {
    long size = store.size();
    if (size < knownSize) {
      throw new LogIntegrityException(
          "the store shrank from " + knownSize + " to " + size + " leaves");
    }
    knownSize = size;
    return size;
  }

  /** Reads the store's size only when {@code treeSize} is beyond every size seen. */
  private void requireCommitted(long treeSize) {
    if (treeSize > knownSize && treeSize > currentSize()) {
      throw new IllegalArgumentException(
          "tree size " + treeSize + " is beyond the log's " + knownSize + " leaves");
    }
    if (treeSize < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + treeSize);
    }
  }
}
