package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.Checkpoint;
import dev.pinaivu.core.translog.Frontier;
import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.KeyAnnouncement;
import dev.pinaivu.core.translog.NoteSigner;
import dev.pinaivu.core.translog.SignedCheckpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's side of the transparency log: the tree's {@link Frontier} (O(log n) hashes,
 * never the leaves), the entries its parent has not yet stored, and the key that signs checkpoints.
 * It signs only roots it computed itself by appending to a frontier it verified, so a parent can
 * withhold or roll back the state it hands over, which holders of newer checkpoints detect, but can
 * never have a rewritten history signed. Thread-safe.
 */
final class CoordinatorLog {
  static final String NOT_OPEN = "the log is not open: the parent must send log_open first";

  private final String origin;
  private final NoteSigner signer;
  private final CoordinatorKey key;
  private final int capacity;
  private final int pageBytes;
  private final Succession succession;
  private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
  private Frontier frontier;
  private long keptFrom;
  private long announcedAt = -1;
  private SignedCheckpoint signed;
  private CoordinatorKey predecessor;
  private final Map<Hash, Long> relogged = new HashMap<>();

  /**
   * @param capacity entries kept for the parent at most; beyond it appends are refused
   * @param pageBytes entry bytes returned by one {@link #checkpoint} at most (at least one entry)
   */
  CoordinatorLog(
      String origin,
      NoteSigner signer,
      CoordinatorKey key,
      int capacity,
      int pageBytes,
      Succession succession) {
    this.origin = origin;
    this.succession = succession;
    this.signer = signer;
    this.key = key;
    this.capacity = capacity;
    this.pageBytes = pageBytes;
  }

  /**
   * Opens the log once: empty when {@code state} has no checkpoint, else from the verified state;
   * then announces this coordinator's key. Later calls change nothing.
   *
   * @return the index of this coordinator's key announcement
   * @throws IllegalArgumentException when the state does not verify ({@link LogResumption})
   */
  synchronized long open(Coordinator.LogState state) {
    if (frontier == null) {
      if (state.checkpoint() == null) {
        frontier = Frontier.empty();
      } else {
        LogResumption.Resumed resumed = LogResumption.verify(origin, state, key, succession);
        frontier = resumed.frontier();
        predecessor = resumed.predecessor();
      }
      keptFrom = frontier.size();
      announcedAt = add(new KeyAnnouncement(origin, key).entry());
    }
    return announcedAt;
  }

  /**
   * Refuses to go on until the parent has opened the log. A log is never opened implicitly: an
   * early call from anyone else would fix an empty log, and the parent's stored state could then no
   * longer be resumed.
   *
   * @throws CoordinatorUnavailableException when {@link #open} has not run yet
   */
  synchronized void requireOpen() throws CoordinatorUnavailableException {
    if (frontier == null) {
      throw new CoordinatorUnavailableException(NOT_OPEN, null);
    }
  }

  /**
   * Appends an entry and returns its index.
   *
   * @throws CoordinatorUnavailableException when the log is not open yet, or {@code capacity}
   *     entries await the parent
   */
  synchronized long append(byte[] entry) throws CoordinatorUnavailableException {
    requireOpen();
    if (kept.size() >= capacity) {
      throw new CoordinatorUnavailableException(
          "the log holds "
              + kept.size()
              + " entries its parent has not stored; it must fetch a checkpoint first",
          null);
    }
    return add(entry);
  }

  /** The key that signed the checkpoint this log resumed from; empty for a log it started. */
  synchronized Optional<CoordinatorKey> predecessor() {
    return Optional.ofNullable(predecessor);
  }

  /**
   * Appends again an entry its predecessor logged but no stored checkpoint covers (the caller has
   * checked it is such a receipt), once per process: a second call returns the same index. An entry
   * this log still keeps for its parent is not appended twice: with a sealed identity the
   * predecessor's key is this coordinator's own, and its parent cannot tell its receipts apart.
   */
  synchronized long relog(byte[] entry) throws CoordinatorUnavailableException {
    Hash leaf = Hash.leaf(entry);
    Long earlier = relogged.get(leaf);
    if (earlier != null) {
      return earlier;
    }
    long at = keptFrom;
    for (byte[] held : kept) {
      if (Arrays.equals(held, entry)) {
        return at;
      }
      at++;
    }
    long index = append(entry);
    relogged.put(leaf, index);
    return index;
  }

  /**
   * A checkpoint of the log as it is now (signed again only if it grew) and the entries from {@code
   * from}. {@code heldSize}, the size of the parent's stored copy, acknowledges everything below
   * it.
   *
   * @throws IllegalArgumentException when the parent claims more entries than the log has, or
   *     entries it acknowledged before
   * @throws CoordinatorUnavailableException when the log is not open yet
   */
  synchronized Coordinator.LogHead checkpoint(long heldSize, long from)
      throws CoordinatorUnavailableException {
    requireOpen();
    long size = frontier.size();
    if (heldSize < keptFrom || heldSize > size) {
      throw new IllegalArgumentException(
          "held " + heldSize + " is not within the entries kept, [" + keptFrom + ", " + size + "]");
    }
    if (from < heldSize || from > size) {
      throw new IllegalArgumentException(
          "from " + from + " is not within [" + heldSize + ", " + size + "]");
    }
    while (keptFrom < heldSize) {
      kept.removeFirst();
      keptFrom++;
    }
    if (signed == null || signed.checkpoint().treeSize() != size) {
      signed = SignedCheckpoint.sign(new Checkpoint(origin, size, frontier.root()), signer);
    }
    return new Coordinator.LogHead(signed.format(), from, page(from));
  }

  /** The entries from {@code from}, as many as fit in {@code pageBytes}, at least one. */
  private List<byte[]> page(long from) {
    List<byte[]> page = new ArrayList<>();
    Iterator<byte[]> it = kept.iterator();
    for (long i = keptFrom; i < from; i++) {
      it.next();
    }
    int bytes = 0;
    while (it.hasNext()) {
      byte[] entry = it.next();
      if (!page.isEmpty() && bytes + entry.length > pageBytes) {
        break;
      }
      page.add(entry);
      bytes += entry.length;
    }
    return page;
  }

  private long add(byte[] entry) {
    byte[] copy = entry.clone();
    frontier.append(Hash.leaf(copy));
    kept.addLast(copy);
    return frontier.size() - 1;
  }
}
