package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.LogItems.DATA;
import static dev.pinaivu.functions.store.LogItems.LEAF_HASH;
import static dev.pinaivu.functions.store.LogItems.SK;

import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.LogIntegrityException;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.Tile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link LogStore} on DynamoDB, without transactions: several writers (Lambdas, gateways) may
 * extend the same log, and a writer may die at any point. One table holds many logs (ADR 13 has the
 * item layout); a log's head item carries its committed {@code size}, a {@code fence} counter and
 * the latest checkpoint.
 *
 * <p>A write (append or {@link #extend}) goes in three steps. (1) Claim: {@code ADD fence 1} on the
 * head returns a fence no other writer ever gets, and the size {@code s} to write at. (2) Put each
 * leaf at {@code s, s+1, ...} on condition that the slot is empty or was written under a smaller
 * (or this same) fence. (3) Commit: set the head's size to {@code s+n}, and its checkpoint, on
 * condition that the head still has {@code size = s} and {@code fence = f}.
 *
 * <p>Why this is safe. Readers only trust indices below the committed size, and once a leaf is
 * below it, it never changes: a commit with fence {@code f} succeeds only if nobody claimed since
 * {@code f} did, so every slot at or above {@code s} that anyone else may still write belongs to a
 * writer with a smaller fence (whose puts the condition refuses) or to one that claims later, at
 * the new size, above it. A writer that crashed or lost a race leaves at most orphan leaves at or
 * above the size: invisible to reads and to {@link #indexOf}, and overwritten by the next writer,
 * whose fence is larger. So a leaf becomes visible only in the same conditional update that stores
 * the checkpoint covering it, which is what {@link LogStore#extend} asks.
 *
 * <p>Writes through one instance are serialized, and appends waiting meanwhile are written as one
 * batch ({@link FencedWriter}); writes of other processes that win a race make appends retry after
 * a short random pause, and make extends fail with {@link IllegalStateException} (the caller
 * re-reads the size). Reads below the largest size an instance has seen skip reading the head,
 * since leaves below a committed size never change. SDK failures become {@link LogStoreException}.
 */
public final class DynamoDbLogStore implements LogStore {
  /** The largest entry stored: a DynamoDB item holds 400 KB, names and the leaf hash included. */
  public static final int MAX_ENTRY_BYTES = 350 * 1024;

  private final LogTable table;
  private final FencedWriter writer;
  // the largest size seen: below it leaves never change, so reading them needs no head read
  private final AtomicLong knownSize = new AtomicLong();

  /** The log {@code logName} (its origin, say) in {@code table}, made by {@link #createTable}. */
  public DynamoDbLogStore(DynamoDbClient dynamo, String table, String logName) {
    this(dynamo, table, logName, WriteProbe.NONE);
  }

  DynamoDbLogStore(DynamoDbClient dynamo, String table, String logName, WriteProbe probe) {
    this.table = new LogTable(dynamo, table, new LogItems(logName));
    this.writer = new FencedWriter(this.table, probe);
  }

  /** Creates a log table (on-demand billing, the hash index) and waits until it is active. */
  public static void createTable(DynamoDbClient dynamo, String table) {
    LogTable.create(dynamo, table);
  }

  @Override
  public long append(byte[] leafData) {
    long index = writer.append(checkedCopies(List.of(leafData)).getFirst());
    knownSize.accumulateAndGet(index + 1, Math::max);
    return index;
  }

  @Override
  public void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
    writer.extend(from, checkedCopies(entries), checkpoint);
    knownSize.accumulateAndGet(from + entries.size(), Math::max);
  }

  @Override
  public long size() {
    long size = table.head("read the size").size();
    knownSize.accumulateAndGet(size, Math::max);
    return size;
  }

  @Override
  public byte[] leafData(long index) {
    return LogItems.bytes(leaf(index, DATA), DATA);
  }

  @Override
  public Hash leafHash(long index) {
    return new Hash(LogItems.bytes(leaf(index, LEAF_HASH), LEAF_HASH));
  }

  /**
   * The smallest committed index holding {@code leafHash}. Found through the hash index, which on
   * DynamoDB is eventually consistent: a leaf committed a moment ago may not be found yet, and an
   * index entry of an overwritten orphan may linger, so every candidate is checked against the
   * table (consistent read) before it is returned. Orphans at or above the size never are.
   */
  @Override
  public OptionalLong indexOf(Hash leafHash) {
    long size = size();
    if (size == 0) {
      return OptionalLong.empty();
    }
    return LogTable.call(
        "find a leaf hash",
        () -> {
          for (Map<String, AttributeValue> key : table.indexedLeaves(leafHash, size)) {
            long index = LogItems.number(key, SK);
            if (leafHash.equals(
                new Hash(LogItems.bytes(table.leaf(index, LEAF_HASH), LEAF_HASH)))) {
              return OptionalLong.of(index);
            }
          }
          return OptionalLong.empty();
        });
  }

  @Override
  public List<Hash> leafHashes(long from, long to) {
    long size = sizeAtLeast(to);
    if (from < 0 || from > to || to > size) {
      throw new IndexOutOfBoundsException(
          "leaves [" + from + ", " + to + ") are not within the log of size " + size);
    }
    List<Hash> hashes = new ArrayList<>((int) (to - from));
    if (from < to) {
      table.leafHashes(
          from,
          to - 1,
          item -> {
            if (LogItems.number(item, SK) != from + hashes.size()) {
              throw missing(from + hashes.size(), size);
            }
            hashes.add(new Hash(LogItems.bytes(item, LEAF_HASH)));
          });
    }
    if (hashes.size() != to - from) {
      throw missing(from + hashes.size(), size);
    }
    return hashes;
  }

  /** Stores the checkpoint unless one of a larger tree is stored, which then stays the latest. */
  @Override
  public void saveCheckpoint(SignedCheckpoint checkpoint) {
    table.saveCheckpoint(checkpoint);
  }

  @Override
  public Optional<SignedCheckpoint> latestCheckpoint() {
    return table.head("read the latest checkpoint").latestCheckpoint();
  }

  @Override
  public Optional<Tile> tile(int level, long index) {
    Map<String, AttributeValue> item = table.tile(level, index);
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Tile(level, index, LogItems.bytes(item, LogItems.HASHES)));
  }

  /** One conditional put per tile; a lost condition means a wider tile is there, which is fine. */
  @Override
  public void saveTiles(List<Tile> tiles) {
    tiles.forEach(table::putTile);
  }

  /** The leaf's item with {@code attribute}, after checking the index is below the size. */
  private Map<String, AttributeValue> leaf(long index, String attribute) {
    long size = sizeAtLeast(index + 1);
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          "leaf " + index + " is not within the log of size " + size);
    }
    Map<String, AttributeValue> item = table.leaf(index, attribute);
    if (item == null || item.isEmpty()) {
      throw missing(index, size);
    }
    return item;
  }

  /** A size known to be committed if it reaches {@code wanted}, else the current size. */
  private long sizeAtLeast(long wanted) {
    long known = knownSize.get();
    return wanted <= known ? known : size();
  }

  private static LogIntegrityException missing(long index, long size) {
    return new LogIntegrityException(
        "leaf " + index + " is missing from the table, below the committed size " + size);
  }

  private static List<byte[]> checkedCopies(List<byte[]> entries) {
    List<byte[]> copies = new ArrayList<>(entries.size());
    for (byte[] entry : entries) {
      if (entry.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "an entry of "
                + entry.length
                + " bytes is over the "
                + MAX_ENTRY_BYTES
                + " a DynamoDB item can hold; nothing was stored");
      }
      copies.add(entry.clone());
    }
    return copies;
  }
}
