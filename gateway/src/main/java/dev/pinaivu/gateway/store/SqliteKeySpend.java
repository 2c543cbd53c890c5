package dev.pinaivu.gateway.store;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.KeySpend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;

/**
 * {@link KeySpend} on the embedded SQLite database: one row per request (the idempotency key) and a
 * running total per key, written in one transaction, so admission reads one row. As in {@link
 * SqliteLedger}, the request's row is inserted first, which takes SQLite's write lock before
 * anything is read, and sums are computed in Java with overflow checks.
 */
public final class SqliteKeySpend implements KeySpend {
  private final SqliteDatabase db;
  private final InstantSource clock;

  public SqliteKeySpend(SqliteDatabase db) {
    this(db, InstantSource.system());
  }

  public SqliteKeySpend(SqliteDatabase db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public boolean recordSpend(String keyId, RequestId requestId, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("a spend cannot be negative: " + micros);
    }
    return db.transaction(c -> {
      if (insertRequest(c, keyId, requestId, micros)) {
        setTotal(c, keyId, Math.addExact(total(c, keyId), micros));
        return true;
      }
      requireSameAsRecorded(c, keyId, requestId, micros);
      return false;
    });
  }

  @Override
  public long spentMicros(String keyId) {
    return db.read(c -> total(c, keyId));
  }

  private boolean insertRequest(Connection c, String keyId, RequestId requestId, long micros)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_spend (request_id, key_id, amount_micros, recorded_at_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING")) {
      s.setString(1, requestId.value());
      s.setString(2, keyId);
      s.setLong(3, micros);
      s.setLong(4, clock.millis());
      return s.executeUpdate() == 1;
    }
  }

  private static void requireSameAsRecorded(
      Connection c, String keyId, RequestId requestId, long micros) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT key_id, amount_micros FROM key_spend WHERE request_id = ?")) {
      s.setString(1, requestId.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (!rs.getString(1).equals(keyId) || rs.getLong(2) != micros) {
          throw new IllegalArgumentException(
              "request "
                  + requestId
                  + " was recorded as "
                  + rs.getLong(2)
                  + " µUSD for "
                  + rs.getString(1)
                  + ", not "
                  + micros
                  + " µUSD for "
                  + keyId);
        }
      }
    }
  }

  private static long total(Connection c, String keyId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT spent_micros FROM key_spend_totals WHERE key_id = ?")) {
      s.setString(1, keyId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static void setTotal(Connection c, String keyId, long micros) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_spend_totals (key_id, spent_micros) VALUES (?, ?)"
                + " ON CONFLICT (key_id) DO UPDATE SET spent_micros = excluded.spent_micros")) {
      s.setString(1, keyId);
      s.setLong(2, micros);
      s.executeUpdate();
    }
  }
}
