package dev.pinaivu.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.billing.PendingSettlement;
import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.coordinator.RequestCodec;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PendingSettlements} on the embedded SQLite database. The settle request is kept as the
 * coordinator protocol's own {@code settle} message (docs/coordinator-protocol.md), so it is read
 * back with the same checks as one that came over the wire.
 */
public final class SqlitePendingSettlements implements PendingSettlements {
  private final SqliteDatabase db;

  public SqlitePendingSettlements(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void keep(PendingSettlement p) {
    String request = RequestCodec.settle(0, p.request()).toString();
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO pending_settlements (request_id, account_id, key_id, settle_request,"
                  + " kept_at_ms) VALUES (?,?,?,?,?) ON CONFLICT (request_id) DO NOTHING")) {
        s.setString(1, p.requestId().value());
        s.setString(2, p.accountId());
        s.setString(3, p.keyId());
        s.setString(4, request);
        s.setLong(5, p.keptAtMs());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void forget(RequestId requestId) {
    db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement("DELETE FROM pending_settlements WHERE request_id = ?")) {
        s.setString(1, requestId.value());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<PendingSettlement> find(RequestId requestId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE request_id = ?")) {
        s.setString(1, requestId.value());
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(settlement(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<PendingSettlement> keptUntil(long keptAtMs) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement(SELECT + " WHERE kept_at_ms <= ? ORDER BY kept_at_ms, request_id")) {
        s.setLong(1, keptAtMs);
        try (ResultSet rs = s.executeQuery()) {
          List<PendingSettlement> out = new ArrayList<>();
          while (rs.next()) {
            out.add(settlement(rs));
          }
          return out;
        }
      }
    });
  }

  private static final String SELECT =
      "SELECT request_id, account_id, key_id, settle_request, kept_at_ms FROM pending_settlements";

  private static PendingSettlement settlement(ResultSet rs) throws java.sql.SQLException {
    return new PendingSettlement(
        RequestId.parse(rs.getString(1)),
        rs.getString(2),
        rs.getString(3),
        RequestCodec.settle(parse(rs.getString(4))),
        rs.getLong(5));
  }

  /** How many settlements are owed now: the settlement backlog operators watch. */
  public long count() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pending_settlements");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static JsonNode parse(String text) {
    try {
      return Json.parse(text);
    } catch (IOException e) {
      throw new UncheckedIOException("a kept settle request is not JSON", e);
    }
  }
}
