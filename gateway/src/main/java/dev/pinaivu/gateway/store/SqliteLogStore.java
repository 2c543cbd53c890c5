package dev.pinaivu.gateway.store;

import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.SignedCheckpoint;
import dev.pinaivu.core.translog.Tile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link LogStore} on the embedded SQLite database: one row per leaf (index, leaf hash, entry
 * bytes), one per signed checkpoint and one per tile. Appends and {@link #extend} run in a
 * transaction, under the database's single lock, so indices are consecutive and entries never
 * outlive their checkpoint in a crash.
 */
public final class SqliteLogStore implements LogStore {
  private final SqliteDatabase db;

  public SqliteLogStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public long append(byte[] leafData) {
    byte[] copy = leafData.clone();
    return db.transaction(c -> {
      long index = size(c);
      insert(c, index, copy);
      return index;
    });
  }

  @Override
  public void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
    db.transaction(c -> {
      long size = size(c);
      if (from != size) {
        throw new IllegalStateException(
            "entries from " + from + " cannot extend a log of " + size + " leaves");
      }
      for (int i = 0; i < entries.size(); i++) {
        insert(c, from + i, entries.get(i));
      }
      save(c, checkpoint);
      return null;
    });
  }

  @Override
  public long size() {
    return db.read(SqliteLogStore::size);
  }

  @Override
  public byte[] leafData(long index) {
    return leaf(index, "entry");
  }

  @Override
  public Hash leafHash(long index) {
    return new Hash(leaf(index, "leaf_hash"));
  }

  @Override
  public OptionalLong indexOf(Hash leafHash) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement("SELECT MIN(idx) FROM log_leaves WHERE leaf_hash = ?")) {
        s.setBytes(1, leafHash.bytes());
        try (ResultSet rs = s.executeQuery()) {
          long index = rs.next() ? rs.getLong(1) : 0;
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(index);
        }
      }
    });
  }

  @Override
  public List<Hash> leafHashes(long from, long to) {
    return db.read(c -> {
      long size = size(c);
      if (from < 0 || from > to || to > size) {
        throw new IndexOutOfBoundsException(
            "leaves [" + from + ", " + to + ") are not within the log of size " + size);
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT leaf_hash FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx")) {
        s.setLong(1, from);
        s.setLong(2, to);
        try (ResultSet rs = s.executeQuery()) {
          List<Hash> out = new ArrayList<>((int) (to - from));
          while (rs.next()) {
            out.add(new Hash(rs.getBytes(1)));
          }
          return out;
        }
      }
    });
  }

  @Override
  public void saveCheckpoint(SignedCheckpoint checkpoint) {
    db.transaction(c -> {
      save(c, checkpoint);
      return null;
    });
  }

  @Override
  public Optional<SignedCheckpoint> latestCheckpoint() {
    return db.read(c -> {
      try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT note FROM log_checkpoints ORDER BY tree_size DESC, seq DESC LIMIT 1");
          ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(SignedCheckpoint.parseUnverified(rs.getString(1)))
            : Optional.empty();
      }
    });
  }

  @Override
  public Optional<Tile> tile(int level, long index) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement("SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?")) {
        s.setInt(1, level);
        s.setLong(2, index);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(new Tile(level, index, rs.getBytes(1))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void saveTiles(List<Tile> tiles) {
    if (tiles.isEmpty()) {
      return;
    }
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              """
              INSERT INTO log_tiles (level, idx, hashes) VALUES (?,?,?)
              ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
              WHERE length(excluded.hashes) > length(log_tiles.hashes)
              """)) {
        for (Tile tile : tiles) {
          s.setInt(1, tile.level());
          s.setLong(2, tile.index());
          s.setBytes(3, tile.hashes());
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  private byte[] leaf(long index, String column) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement("SELECT " + column + " FROM log_leaves WHERE idx = ?")) {
        s.setLong(1, index);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new IndexOutOfBoundsException(
                "leaf " + index + " is not within the log of size " + size(c));
          }
          byte[] value = rs.getBytes(1);
          return value == null ? new byte[0] : value;
        }
      }
    });
  }

  private static long size(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void insert(Connection c, long index, byte[] entry) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO log_leaves (idx, leaf_hash, entry) VALUES (?,?,?)")) {
      s.setLong(1, index);
      s.setBytes(2, Hash.leaf(entry).bytes());
      s.setBytes(3, entry);
      s.executeUpdate();
    }
  }

  private static void save(Connection c, SignedCheckpoint checkpoint) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO log_checkpoints (tree_size, note) VALUES (?,?)")) {
      s.setLong(1, checkpoint.checkpoint().treeSize());
      s.setString(2, checkpoint.format());
      s.executeUpdate();
    }
  }
}
