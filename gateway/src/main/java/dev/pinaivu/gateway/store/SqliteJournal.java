package dev.pinaivu.gateway.store;

import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.EntryKind;
import dev.pinaivu.core.ledger.JournalEntry;
import dev.pinaivu.core.ledger.LedgerTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The journal and balance tables: entries are only ever inserted, balances follow them. */
final class SqliteJournal {
  private SqliteJournal() {}

  /** Inserts balanced entries and moves the balances they touch, in the caller's transaction. */
  static void post(Connection c, List<JournalEntry> entries) throws SQLException {
    for (JournalEntry e : entries) {
      insert(c, e);
      setBalance(c, e.account(), e.applyTo(balance(c, e.account())));
    }
  }

  static long balance(Connection c, AccountId account) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT balance_micros FROM ledger_balances WHERE account_id = ?")) {
      s.setString(1, account.value());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  static List<JournalEntry> entries(Connection c, AccountId account, long fromMs, long toMs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT amount_micros, kind, reference, at_ms FROM ledger_entries"
                + " WHERE account_id = ? AND at_ms >= ? AND at_ms < ?"
                + " ORDER BY at_ms, reference, kind")) {
      s.setString(1, account.value());
      s.setLong(2, fromMs);
      s.setLong(3, toMs);
      try (ResultSet rs = s.executeQuery()) {
        List<JournalEntry> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new JournalEntry(
                  account,
                  rs.getLong(1),
                  EntryKind.valueOf(rs.getString(2)),
                  rs.getString(3),
                  rs.getLong(4)));
        }
        return out;
      }
    }
  }

  /** SUM fails with "integer overflow" rather than wrap, and so does the negation here. */
  static LedgerTotals totals(Connection c) throws SQLException {
    long topUps = 0;
    long debits = 0;
    long nodes = 0;
    long fees = 0;
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT kind, SUM(amount_micros) FROM ledger_entries"
                    + " WHERE account_id <> 'external' GROUP BY kind");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        long sum = rs.getLong(2);
        switch (EntryKind.valueOf(rs.getString(1))) {
          case TOP_UP -> topUps = sum;
          case CHARGE -> debits = Math.negateExact(sum);
          case EARNING -> nodes = sum;
          case FEE -> fees = sum;
        }
      }
    }
    return new LedgerTotals(topUps, debits, nodes, fees);
  }

  private static void insert(Connection c, JournalEntry e) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO ledger_entries (account_id, reference, kind, amount_micros, at_ms)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, e.account().value());
      s.setString(2, e.reference());
      s.setString(3, e.kind().name());
      s.setLong(4, e.amountMicros());
      s.setLong(5, e.atMs());
      s.executeUpdate();
    }
  }

  private static void setBalance(Connection c, AccountId account, long balance)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO ledger_balances (account_id, balance_micros) VALUES (?, ?)"
                + " ON CONFLICT (account_id) DO UPDATE SET balance_micros = excluded.balance_micros")) {
      s.setString(1, account.value());
      s.setLong(2, balance);
      s.executeUpdate();
    }
  }
}
