package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link LogStore} in memory, for tests and the local dev server. Thread-safe. */
public final class InMemoryLogStore implements LogStore {
  private final List<byte[]> data = new ArrayList<>();
  private final List<Hash> hashes = new ArrayList<>();
  private final Map<Hash, Long> indices = new HashMap<>();
  private final Map<List<Long>, Tile> tiles = new HashMap<>();
  private SignedCheckpoint latest;

  @Override
  public long append(byte[] leafData) {
    byte[] copy = leafData.clone();
    Hash hash = Hash.leaf(copy);
    synchronized (this) {
      data.add(copy);
      hashes.add(hash);
      indices.putIfAbsent(hash, (long) data.size() - 1);
      return data.size() - 1;
    }
  }

  @Override
  public synchronized void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
    if (from != data.size()) {
      throw new IllegalStateException(
          "entries from " + from + " cannot extend a log of " + data.size() + " leaves");
    }
    entries.forEach(this::append);
    saveCheckpoint(checkpoint);
  }

  @Override
  public synchronized long size() {
    return data.size();
  }

  @Override
  public synchronized byte[] leafData(long index) {
    return data.get(checkIndex(index)).clone();
  }

  @Override
  public synchronized Hash leafHash(long index) {
    return hashes.get(checkIndex(index));
  }

  @Override
  public synchronized OptionalLong indexOf(Hash leafHash) {
    Long index = indices.get(leafHash);
    return index == null ? OptionalLong.empty() : OptionalLong.of(index);
  }

  @Override
  public synchronized List<Hash> leafHashes(long from, long to) {
    if (from < 0 || from > to || to > hashes.size()) {
      throw new IndexOutOfBoundsException(
          "leaves [" + from + ", " + to + ") are not within the log of size " + hashes.size());
    }
    return List.copyOf(hashes.subList((int) from, (int) to));
  }

  @Override
  public synchronized void saveCheckpoint(SignedCheckpoint checkpoint) {
    if (latest == null || checkpoint.checkpoint().treeSize() >= latest.checkpoint().treeSize()) {
      latest = checkpoint;
    }
  }

  @Override
  public synchronized Optional<SignedCheckpoint> latestCheckpoint() {
    return Optional.ofNullable(latest);
  }

  @Override
  public synchronized Optional<Tile> tile(int level, long index) {
    return Optional.ofNullable(tiles.get(List.of((long) level, index)));
  }

  @Override
  public synchronized void saveTiles(List<Tile> toSave) {
    for (Tile tile : toSave) {
      tiles.merge(
          List.of((long) tile.level(), tile.index()),
          tile,
          (stored, offered) -> offered.width() > stored.width() ? offered : stored);
    }
  }

  private int checkIndex(long index) {
    if (index < 0 || index >= data.size()) {
      throw new IndexOutOfBoundsException(
          "leaf " + index + " is not within the log of size " + data.size());
    }
    return (int) index;
  }
}
