package dev.pinaivu.gateway.store;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.usage.ReceiptStore;
import dev.pinaivu.core.usage.StoredReceipt;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ReceiptStore} on the embedded SQLite database. A receipt is written once: the insert does
 * nothing when its request id is already stored, so a retried or racing save cannot rewrite it.
 */
public final class SqliteReceiptStore implements ReceiptStore {
  private static final String COLUMNS =
      "request_id, account_id, key_id, model, node_id, outcome, issued_at_ms, prompt_tokens,"
          + " completion_tokens, total_charged_micros, signed_receipt";

  private final SqliteDatabase db;

  public SqliteReceiptStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public boolean save(StoredReceipt r) {
    return db.transaction(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO receipts ("
                  + COLUMNS
                  + ") VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (request_id) DO NOTHING")) {
        s.setString(1, r.requestId().value());
        s.setString(2, r.accountId());
        s.setString(3, r.keyId());
        s.setString(4, r.model());
        s.setString(5, r.nodeId());
        s.setString(6, r.outcome());
        s.setLong(7, r.issuedAtMs());
        s.setLong(8, r.promptTokens());
        s.setLong(9, r.completionTokens());
        s.setLong(10, r.totalChargedMicros());
        s.setString(11, r.signedReceipt());
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<StoredReceipt> find(RequestId requestId) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement("SELECT " + COLUMNS + " FROM receipts WHERE request_id = ?")) {
        s.setString(1, requestId.value());
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<StoredReceipt> list(String accountId, long fromMs, long toMs) {
    if (fromMs > toMs) {
      throw new IllegalArgumentException("fromMs " + fromMs + " is after toMs " + toMs);
    }
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT "
                  + COLUMNS
                  + " FROM receipts WHERE account_id = ? AND issued_at_ms >= ?"
                  + " AND issued_at_ms < ? ORDER BY issued_at_ms, request_id")) {
        s.setString(1, accountId);
        s.setLong(2, fromMs);
        s.setLong(3, toMs);
        try (ResultSet rs = s.executeQuery()) {
          List<StoredReceipt> out = new ArrayList<>();
          while (rs.next()) {
            out.add(map(rs));
          }
          return out;
        }
      }
    });
  }

  /**
   * The signed receipts whose coordinator-given log index ({@code log.index} in the stored
   * envelope) is at least {@code index}: after a coordinator crash, those its log may have lost.
   */
  @Override
  public List<SignedReceipt> loggedFrom(long index) {
    return db.read(c -> {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT signed_receipt FROM receipts"
                  + " WHERE json_extract(signed_receipt, '$.log.index') >= ?"
                  + " ORDER BY json_extract(signed_receipt, '$.log.index')")) {
        s.setLong(1, index);
        try (ResultSet rs = s.executeQuery()) {
          List<SignedReceipt> out = new ArrayList<>();
          while (rs.next()) {
            out.add(read(rs.getString(1)));
          }
          return out;
        }
      }
    });
  }

  private static SignedReceipt read(String json) {
    try {
      return Json.MAPPER.readValue(json, SignedReceipt.class);
    } catch (IOException e) {
      throw new StoreException("a stored receipt is not readable: " + e.getMessage(), e);
    }
  }

  private static StoredReceipt map(ResultSet rs) throws SQLException {
    return new StoredReceipt(
        RequestId.parse(rs.getString(1)),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10),
        rs.getString(11));
  }
}
