package dev.pinaivu.gateway.store;

import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ApiKeyStore} on the embedded SQLite database. */
public final class SqliteApiKeyStore implements ApiKeyStore {
  private static final String COLUMNS =
      "id, name, account_id, key_hash, hint, created_at_ms, revoked_at_ms";

  private final SqliteDatabase db;

  public SqliteApiKeyStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(ApiKeyRecord r) {
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement("INSERT INTO api_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
        s.setString(1, r.id());
        s.setString(2, r.name());
        s.setString(3, r.accountId());
        s.setString(4, r.keyHash());
        s.setString(5, r.hint());
        s.setLong(6, r.createdAtMs());
        if (r.revokedAtMs() == null) {
          s.setNull(7, java.sql.Types.INTEGER);
        } else {
          s.setLong(7, r.revokedAtMs());
        }
        s.executeUpdate();
      } catch (SQLException e) {
        if (e.getErrorCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT.code) {
          throw new IllegalArgumentException("a key with this id or hash already exists");
        }
        throw e;
      }
      return null;
    });
  }

  @Override
  public Optional<ApiKeyRecord> findByHash(String keyHash) {
    return findOne("key_hash", keyHash);
  }

  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    return findOne("id", id);
  }

  @Override
  public List<ApiKeyRecord> list() {
    return db.read(c -> {
      try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at_ms, id");
          ResultSet rs = s.executeQuery()) {
        List<ApiKeyRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(map(rs));
        }
        return out;
      }
    });
  }

  @Override
  public boolean revoke(String id, long atMs) {
    return db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE api_keys SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL")) {
        s.setLong(1, atMs);
        s.setString(2, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  private Optional<ApiKeyRecord> findOne(String column, String value) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE " + column + " = ?")) {
        s.setString(1, value);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
      }
    });
  }

  private static ApiKeyRecord map(ResultSet rs) throws SQLException {
    long revokedAt = rs.getLong(7);
    Long revoked = rs.wasNull() ? null : revokedAt;
    return new ApiKeyRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        revoked);
  }
}
