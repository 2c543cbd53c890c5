package dev.pinaivu.gateway.store;

import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.CoordinatorKeys;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link CoordinatorKeys} on the embedded SQLite database: one row per key. */
public final class SqliteCoordinatorKeys implements CoordinatorKeys {
  private final SqliteDatabase db;

  public SqliteCoordinatorKeys(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void remember(CoordinatorKey key, long nowMs) {
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO coordinator_keys (key_id, public_key, kind, attestation,"
                  + " first_seen_ms) VALUES (?,?,?,?,?) ON CONFLICT(key_id) DO NOTHING")) {
        s.setString(1, key.keyId());
        s.setBytes(2, key.publicKey());
        s.setString(3, key.kind().name());
        s.setBytes(4, key.attestation());
        s.setLong(5, nowMs);
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<CoordinatorKey> find(String keyId) {
    return all().stream().filter(key -> key.keyId().equals(keyId)).findFirst();
  }

  @Override
  public List<CoordinatorKey> all() {
    return db.read(c -> {
      try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT key_id, public_key, kind, attestation FROM coordinator_keys"
                      + " ORDER BY first_seen_ms DESC, key_id");
          ResultSet rs = s.executeQuery()) {
        List<CoordinatorKey> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new CoordinatorKey(
                  rs.getString(1),
                  rs.getBytes(2),
                  CoordinatorKey.Kind.valueOf(rs.getString(3)),
                  rs.getBytes(4)));
        }
        return out;
      }
    });
  }
}
