package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree of a {@link LogStore} read through its {@link Tile}s: a subtree hash is one tile read
 * (cached) and at most 255 node hashes, so a process that has just started serves a proof with
 * about log2(n)/8 reads instead of reading every leaf.
 *
 * <p>Tiles are derived data: a tile missing or narrower than needed (a writer died between storing
 * leaves and their tiles, or the store predates tiles) is rebuilt from the tiles below it, down to
 * the committed leaves, and stored again. Callers ask only for subtrees complete in a tree whose
 * leaves are committed. Thread-safe.
 */
final class TiledTree implements SubtreeHashes {
  private static final int CACHED_TILES = 2048; // at most 16 MiB of hashes

  private final LogStore store;
  private final Map<Long, Tile> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Tile> eldest) {
          return size() > CACHED_TILES;
        }
      };

  TiledTree(LogStore store) {
    this.store = store;
  }

  @Override
  public Hash subtree(int level, long index) {
    int tileLevel = level / Tile.HEIGHT;
    int rise = level % Tile.HEIGHT;
    long first = index << rise;
    int offset = (int) (first % Tile.WIDTH);
    Tile tile = tile(tileLevel, first / Tile.WIDTH, offset + (1 << rise));
    List<Hash> hashes = new ArrayList<>(1 << rise);
    for (int i = 0; i < 1 << rise; i++) {
      hashes.add(tile.hash(offset + i));
    }
    return fold(hashes);
  }

  /**
   * The tiles that change when {@code fresh} leaf hashes are appended to a tree of {@code size}
   * leaves, in a form the store can save, and remembered here. Per tile level, the row to store
   * starts where the level's last tile does: the hashes that tile already held (one read), then the
   * new complete nodes, which are the row below folded by 256 from its start (the row below starts
   * at the first child of this level's first new node).
   */
  List<Tile> grow(long size, List<Hash> fresh) {
    List<Tile> changed = new ArrayList<>();
    List<Hash> added = fresh;
    for (int level = 0; !added.isEmpty(); level++) {
      long complete = size >>> (Tile.HEIGHT * level); // nodes at this level before the growth
      long base = complete - complete % Tile.WIDTH;
      List<Hash> row = new ArrayList<>();
      if (complete > base) {
        Tile last = tile(level, base / Tile.WIDTH, (int) (complete - base));
        for (int i = 0; i < complete - base; i++) {
          row.add(last.hash(i));
        }
      }
      row.addAll(added);
      for (int from = 0; from < row.size(); from += Tile.WIDTH) {
        List<Hash> part = row.subList(from, Math.min(row.size(), from + Tile.WIDTH));
        changed.add(remember(new Tile(level, base / Tile.WIDTH + from / Tile.WIDTH, concat(part))));
      }
      added = new ArrayList<>();
      for (int start = 0; start + Tile.WIDTH <= row.size(); start += Tile.WIDTH) {
        added.add(fold(row.subList(start, start + Tile.WIDTH)));
      }
    }
    return changed;
  }

  /** A tile holding at least {@code width} hashes: cached, stored, or rebuilt and stored. */
  private Tile tile(int level, long index, int width) {
    Tile cached = cached(level, index);
    if (cached != null && cached.width() >= width) {
      return cached;
    }
    Tile stored = store.tile(level, index).orElse(null);
    if (stored != null && stored.width() >= width) {
      return remember(stored);
    }
    Tile rebuilt = rebuild(level, index);
    if (rebuilt.width() < width) {
      throw new LogIntegrityException(
          "tile "
              + level
              + "/"
              + index
              + " cannot hold "
              + width
              + " hashes yet: the store has "
              + "fewer committed leaves than the tree asked for");
    }
    store.saveTiles(List.of(rebuilt));
    return remember(rebuilt);
  }

  /** The tile as the committed leaves make it: from leaf hashes, or from the full tiles below. */
  private Tile rebuild(int level, long index) {
    long nodes = store.size() >>> (Tile.HEIGHT * level);
    long from = index * Tile.WIDTH;
    long to = Math.min(from + Tile.WIDTH, nodes);
    if (to <= from) {
      throw new LogIntegrityException(
          "tile " + level + "/" + index + " is beyond the " + store.size() + " committed leaves");
    }
    List<Hash> hashes = new ArrayList<>((int) (to - from));
    if (level == 0) {
      hashes.addAll(store.leafHashes(from, to));
    } else {
      for (long node = from; node < to; node++) {
        Tile full = tile(level - 1, node, Tile.WIDTH);
        List<Hash> children = new ArrayList<>(Tile.WIDTH);
        for (int i = 0; i < Tile.WIDTH; i++) {
          children.add(full.hash(i));
        }
        hashes.add(fold(children));
      }
    }
    return new Tile(level, index, concat(hashes));
  }

  private synchronized Tile cached(int level, long index) {
    return cache.get(key(level, index));
  }

  /** Keeps the widest tile seen: a narrower one is a prefix of it. */
  private synchronized Tile remember(Tile tile) {
    long key = key(tile.level(), tile.index());
    Tile known = cache.get(key);
    if (known == null || known.width() < tile.width()) {
      cache.put(key, tile);
      return tile;
    }
    return known;
  }

  private static long key(int level, long index) {
    return index * 8 + level; // tile levels are 0..7
  }

  /** MTH of a power-of-two run of adjacent subtree hashes. */
  private static Hash fold(List<Hash> hashes) {
    List<Hash> row = hashes;
    while (row.size() > 1) {
      List<Hash> up = new ArrayList<>(row.size() / 2);
      for (int i = 0; i < row.size(); i += 2) {
        up.add(Hash.node(row.get(i), row.get(i + 1)));
      }
      row = up;
    }
    return row.getFirst();
  }

  private static byte[] concat(List<Hash> hashes) {
    byte[] out = new byte[hashes.size() * Hash.BYTES];
    for (int i = 0; i < hashes.size(); i++) {
      hashes.get(i).copyTo(out, i * Hash.BYTES);
    }
    return out;
  }
}
