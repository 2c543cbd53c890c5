package dev.pinaivu.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.Scope;
import dev.pinaivu.core.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ApiKeyStore} on the embedded SQLite database. Scopes and models are JSON arrays of
 * strings; a scope name this build does not know (written by a newer one) is skipped on reading.
 */
public final class SqliteApiKeyStore implements ApiKeyStore {
  private static final String COLUMNS =
      "id, name, account_id, key_hash, hint, created_at_ms, revoked_at_ms,"
          + " scopes, models, rpm, tpm, budget_micros";

  private final SqliteDatabase db;

  public SqliteApiKeyStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(ApiKeyRecord r) {
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
        s.setString(1, r.id());
        s.setString(2, r.name());
        s.setString(3, r.accountId());
        s.setString(4, r.keyHash());
        s.setString(5, r.hint());
        s.setLong(6, r.createdAtMs());
        setNullable(s, 7, r.revokedAtMs());
        s.setString(8, Json.text(r.scopes().stream().map(Scope::wireName).toList()));
        s.setString(9, Json.text(r.models()));
        setNullable(s, 10, r.rpm() == null ? null : r.rpm().longValue());
        setNullable(s, 11, r.tpm() == null ? null : r.tpm().longValue());
        setNullable(s, 12, r.budgetMicros());
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
    Long revoked = nullableLong(rs, 7);
    Long rpm = nullableLong(rs, 10);
    Long tpm = nullableLong(rs, 11);
    return new ApiKeyRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        revoked,
        scopes(strings(rs.getString(8))),
        strings(rs.getString(9)),
        rpm == null ? null : Math.toIntExact(rpm),
        tpm == null ? null : Math.toIntExact(tpm),
        nullableLong(rs, 12));
  }

  private static Set<Scope> scopes(Set<String> names) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : names) {
      Scope scope = Scope.fromWire(name);
      if (scope != null) {
        scopes.add(scope);
      }
    }
    return scopes;
  }

  private static Set<String> strings(String jsonArray) throws SQLException {
    try {
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode item : Json.parse(jsonArray)) {
        out.add(item.asText());
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new SQLException("api_keys holds a malformed list: " + e.getOriginalMessage(), e);
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static void setNullable(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setLong(index, value);
    }
  }
}
