package dev.pinaivu.gateway.store;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.JournalEntry;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.LedgerTotals;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * {@link Ledger} on the embedded SQLite database. Each top-up and each settlement is one
 * transaction: the idempotency row, its journal entries and the balances they change are committed
 * together or not at all.
 *
 * <p>Every write transaction starts with the insert of its idempotency row ({@code ON CONFLICT DO
 * NOTHING}), so it holds SQLite's write lock before it reads anything: another connection to the
 * same file (the CLI crediting an account while the server runs) cannot slip in between the check
 * and the write.
 */
public final class SqliteLedger implements Ledger {
  private final SqliteDatabase db;
  private final InstantSource clock;

  public SqliteLedger(SqliteDatabase db) {
    this(db, InstantSource.system());
  }

  public SqliteLedger(SqliteDatabase db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public TopUpResult credit(TopUp topUp) {
    return db.transaction(c -> {
      long now = clock.millis();
      if (insertTopUp(c, topUp, now)) {
        SqliteJournal.post(c, topUp.entries(now));
        return new TopUpResult(TopUpResult.Status.APPLIED, topUp, now);
      }
      TopUpResult recorded = findTopUp(c, topUp.reference());
      if (!recorded.topUp().equals(topUp)) {
        throw LedgerConflictException.of(recorded.topUp(), topUp);
      }
      return recorded;
    });
  }

  @Override
  public SettlementResult settle(Settlement settlement) {
    return db.transaction(c -> {
      long now = clock.millis();
      if (insertSettlement(c, settlement, now)) {
        SqliteJournal.post(c, settlement.entries(now));
        return new SettlementResult(SettlementResult.Status.APPLIED, settlement, now);
      }
      SettlementResult recorded = findSettlement(c, settlement.requestId()).orElseThrow();
      if (!recorded.settlement().equals(settlement)) {
        throw LedgerConflictException.of(recorded.settlement(), settlement);
      }
      return recorded;
    });
  }

  @Override
  public long balance(AccountId account) {
    return db.read(c -> SqliteJournal.balance(c, account));
  }

  @Override
  public Optional<Settlement> settlement(RequestId requestId) {
    return db.read(c -> findSettlement(c, requestId).map(SettlementResult::settlement));
  }

  @Override
  public List<JournalEntry> entries(AccountId account, long fromMs, long toMs) {
    if (fromMs > toMs) {
      throw new IllegalArgumentException("fromMs " + fromMs + " is after toMs " + toMs);
    }
    return db.read(c -> SqliteJournal.entries(c, account, fromMs, toMs));
  }

  @Override
  public LedgerTotals totals() {
    return db.read(SqliteJournal::totals);
  }

  private static boolean insertTopUp(Connection c, TopUp t, long now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO ledger_top_ups (reference, account_id, amount_micros, credited_at_ms)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (reference) DO NOTHING")) {
      s.setString(1, t.reference());
      s.setString(2, t.account().value());
      s.setLong(3, t.amountMicros());
      s.setLong(4, now);
      return s.executeUpdate() == 1;
    }
  }

  private static TopUpResult findTopUp(Connection c, String reference) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT account_id, amount_micros, credited_at_ms FROM ledger_top_ups"
                + " WHERE reference = ?")) {
      s.setString(1, reference);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("top-up " + reference + " vanished inside its transaction");
        }
        TopUp recorded = new TopUp(AccountId.parse(rs.getString(1)), rs.getLong(2), reference);
        return new TopUpResult(TopUpResult.Status.ALREADY_CREDITED, recorded, rs.getLong(3));
      }
    }
  }

  private static boolean insertSettlement(Connection c, Settlement st, long now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO ledger_settlements (request_id, client_account, node_account,"
                + " total_micros, node_micros, fee_micros, settled_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING")) {
      s.setString(1, st.requestId().value());
      s.setString(2, st.client().value());
      s.setString(3, st.node().value());
      s.setLong(4, st.totalMicros());
      s.setLong(5, st.nodeMicros());
      s.setLong(6, st.feeMicros());
      s.setLong(7, now);
      return s.executeUpdate() == 1;
    }
  }

  private static Optional<SettlementResult> findSettlement(Connection c, RequestId id)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT client_account, node_account, total_micros, node_micros, fee_micros,"
                + " settled_at_ms FROM ledger_settlements WHERE request_id = ?")) {
      s.setString(1, id.value());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Settlement recorded =
            new Settlement(
                id,
                AccountId.parse(rs.getString(1)),
                AccountId.parse(rs.getString(2)),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5));
        return Optional.of(
            new SettlementResult(SettlementResult.Status.ALREADY_SETTLED, recorded, rs.getLong(6)));
      }
    }
  }
}
