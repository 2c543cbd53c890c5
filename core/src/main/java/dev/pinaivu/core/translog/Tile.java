package dev.pinaivu.core.translog;

import java.util.Arrays;

/**
 * A stored slice of the tree, after C2SP tlog-tiles: tile {@code index} at tile level {@code level}
 * holds the hashes of tree level {@code 8·level}, nodes {@code [256·index, 256·index + width)}. A
 * tile is full at 256 hashes and is then immutable; a partial tile only ever grows, and its first
 * hashes never change (they are complete subtrees). So any complete subtree of a tree of n leaves
 * is one tile read plus at most 255 node hashes, and a proof reads about log2(n)/8 tiles.
 *
 * @param hashes the hashes concatenated, 32 bytes each, 1 to 256 of them
 */
public record Tile(int level, long index, byte[] hashes) {
  /** Tree levels per tile level. */
  public static final int HEIGHT = 8;

  /** Hashes in a full tile. */
  public static final int WIDTH = 1 << HEIGHT;

  public Tile {
    if (level < 0 || level > (Long.SIZE - 1) / HEIGHT) {
      throw new IllegalArgumentException("no tile level " + level);
    }
    if (index < 0) {
      throw new IllegalArgumentException("a tile index is not negative: " + index);
    }
    if (hashes.length == 0
        || hashes.length % Hash.BYTES != 0
        || hashes.length > WIDTH * Hash.BYTES) {
      throw new IllegalArgumentException(
          "a tile holds 1 to " + WIDTH + " hashes of 32 bytes, not " + hashes.length + " bytes");
    }
    hashes = hashes.clone();
  }

  public int width() {
    return hashes.length / Hash.BYTES;
  }

  public boolean isFull() {
    return width() == WIDTH;
  }

  /** The hash of tree level {@code 8·level}, node {@code 256·index + offset}. */
  public Hash hash(int offset) {
    if (offset < 0 || offset >= width()) {
      throw new IndexOutOfBoundsException("hash " + offset + " of a tile of " + width());
    }
    return new Hash(Arrays.copyOfRange(hashes, offset * Hash.BYTES, (offset + 1) * Hash.BYTES));
  }

  @Override
  public byte[] hashes() {
    return hashes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tile t
        && t.level == level
        && t.index == index
        && Arrays.equals(t.hashes, hashes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * level + Long.hashCode(index)) + Arrays.hashCode(hashes);
  }

  @Override
  public String toString() {
    return "Tile[level=" + level + ", index=" + index + ", width=" + width() + "]";
  }
}
