package dev.pinaivu.core.translog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Port: where the log's leaves and signed checkpoints live (in memory for tests, SQLite locally,
 * DynamoDB on AWS), and the {@link Tile}s that let a process prove without reading every leaf.
 * Leaves are only ever appended. Every adapter passes {@code LogStoreContract}. Reading at or
 * beyond {@link #size()} throws {@link IndexOutOfBoundsException}.
 */
public interface LogStore {
  /**
   * Stores {@code leafData} and its {@link Hash#leaf} at the next index and returns that index.
   * Atomic: concurrent appends get distinct, consecutive indices and none is lost.
   */
  long append(byte[] leafData);

  /** The number of leaves; every index below it is readable. */
  long size();

  byte[] leafData(long index);

  Hash leafHash(long index);

  /** The smallest index whose leaf hash is {@code leafHash}, if any. */
  OptionalLong indexOf(Hash leafHash);

  /** The leaf hashes of indices {@code from} (inclusive) to {@code to} (exclusive), in order. */
  List<Hash> leafHashes(long from, long to);

  /**
   * Appends {@code entries} at index {@code from} and saves {@code checkpoint}, which covers them,
   * in one atomic step: a crash leaves both or neither, so the store never holds a leaf that no
   * stored checkpoint covers.
   *
   * @throws IllegalStateException when {@code from} is not {@link #size()}
   */
  void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint);

  /** Stores a checkpoint this log signed. */
  void saveCheckpoint(SignedCheckpoint checkpoint);

  /** The stored checkpoint of the largest tree size; of several that size, the last saved. */
  Optional<SignedCheckpoint> latestCheckpoint();

  /** The tile stored at {@code level}, {@code index}, if any: the widest saved. */
  Optional<Tile> tile(int level, long index);

  /**
   * Saves tiles, each unless one at least as wide is stored: a tile never narrows, so writers that
   * race (each saving what the committed leaves make) leave the widest. Callers save only tiles
   * computed from committed leaves; a tile is derived data and may lag them.
   */
  void saveTiles(List<Tile> tiles);
}
