package dev.pinaivu.gateway.store;

import java.util.List;

/**
 * The embedded store's schema, as the migrations that build it: {@link SqliteDatabase} applies the
 * ones a database file has not seen yet, in order ({@code PRAGMA user_version} counts them). Append
 * only: a migration that has shipped is never edited.
 */
final class Schema {
  static final List<String> MIGRATIONS =
      List.of(
          """
          CREATE TABLE api_keys (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            account_id    TEXT NOT NULL,
            key_hash      TEXT NOT NULL UNIQUE,
            hint          TEXT NOT NULL,
            created_at_ms INTEGER NOT NULL,
            revoked_at_ms INTEGER
          )
          """,
          // The ledger (docs/adr/0006-ledger.md). STRICT: money columns hold integers, never REAL.
          """
          CREATE TABLE ledger_top_ups (
            reference      TEXT PRIMARY KEY,
            account_id     TEXT NOT NULL,
            amount_micros  INTEGER NOT NULL CHECK (amount_micros > 0),
            credited_at_ms INTEGER NOT NULL
          ) STRICT;
          CREATE TABLE ledger_settlements (
            request_id     TEXT PRIMARY KEY,
            client_account TEXT NOT NULL,
            node_account   TEXT NOT NULL,
            total_micros   INTEGER NOT NULL,
            node_micros    INTEGER NOT NULL CHECK (node_micros >= 0),
            fee_micros     INTEGER NOT NULL CHECK (fee_micros >= 0),
            settled_at_ms  INTEGER NOT NULL,
            CHECK (total_micros = node_micros + fee_micros)
          ) STRICT;
          CREATE TABLE ledger_entries (
            account_id    TEXT NOT NULL,
            reference     TEXT NOT NULL,
            kind          TEXT NOT NULL CHECK (kind IN ('TOP_UP', 'CHARGE', 'EARNING', 'FEE')),
            amount_micros INTEGER NOT NULL,
            at_ms         INTEGER NOT NULL,
            PRIMARY KEY (account_id, reference, kind)
          ) STRICT;
          CREATE INDEX ledger_entries_by_time ON ledger_entries (account_id, at_ms);
          CREATE TABLE ledger_balances (
            account_id     TEXT PRIMARY KEY,
            balance_micros INTEGER NOT NULL
          ) STRICT;
          """,
          // Signed receipts (docs/receipts.md) and the figures usage reports sum (docs/usage.md).
          """
          CREATE TABLE receipts (
            request_id           TEXT PRIMARY KEY,
            account_id           TEXT NOT NULL,
            key_id               TEXT NOT NULL,
            model                TEXT NOT NULL,
            node_id              TEXT NOT NULL,
            outcome              TEXT NOT NULL,
            issued_at_ms         INTEGER NOT NULL,
            prompt_tokens        INTEGER NOT NULL CHECK (prompt_tokens >= 0),
            completion_tokens    INTEGER NOT NULL CHECK (completion_tokens >= 0),
            total_charged_micros INTEGER NOT NULL CHECK (total_charged_micros >= 0),
            signed_receipt       TEXT NOT NULL
          ) STRICT;
          CREATE INDEX receipts_by_account_time ON receipts (account_id, issued_at_ms, request_id);
          """,
          """
          CREATE TABLE coordinator_keys (
            key_id        TEXT PRIMARY KEY,
            public_key    BLOB NOT NULL,
            kind          TEXT NOT NULL,
            attestation   BLOB,
            first_seen_ms INTEGER NOT NULL
          )
          """,
          // Keys and limits (docs/adr/0009-keys-and-limits.md). The defaults give keys made before
          // this migration (the development key) every scope, every model and no limits.
          """
          ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL
            DEFAULT '["chat","models","usage","receipts"]';
          ALTER TABLE api_keys ADD COLUMN models TEXT NOT NULL DEFAULT '[]';
          ALTER TABLE api_keys ADD COLUMN rpm INTEGER CHECK (rpm IS NULL OR rpm >= 1);
          ALTER TABLE api_keys ADD COLUMN tpm INTEGER CHECK (tpm IS NULL OR tpm >= 1);
          ALTER TABLE api_keys ADD COLUMN budget_micros INTEGER
            CHECK (budget_micros IS NULL OR budget_micros >= 0);
          CREATE TABLE key_spend (
            request_id     TEXT PRIMARY KEY,
            key_id         TEXT NOT NULL,
            amount_micros  INTEGER NOT NULL CHECK (amount_micros >= 0),
            recorded_at_ms INTEGER NOT NULL
          ) STRICT;
          CREATE TABLE key_spend_totals (
            key_id       TEXT PRIMARY KEY,
            spent_micros INTEGER NOT NULL
          ) STRICT;
          """,
          // The transparency log (docs/adr/0010-transparency-log.md): leaves, signed checkpoints.
          """
          CREATE TABLE log_leaves (
            idx       INTEGER PRIMARY KEY CHECK (idx >= 0),
            leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
            entry     BLOB NOT NULL
          ) STRICT;
          CREATE TABLE log_checkpoints (
            seq       INTEGER PRIMARY KEY AUTOINCREMENT,
            tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
            note      TEXT NOT NULL
          ) STRICT;
          CREATE INDEX log_checkpoints_by_size ON log_checkpoints (tree_size, seq);
          CREATE INDEX log_leaves_by_hash ON log_leaves (leaf_hash);
          """,
          // Settlements owed from the node's proof until the receipt is stored (ADR 7).
          """
          CREATE TABLE pending_settlements (
            request_id     TEXT PRIMARY KEY,
            account_id     TEXT NOT NULL,
            key_id         TEXT NOT NULL,
            settle_request TEXT NOT NULL,
            kept_at_ms     INTEGER NOT NULL
          ) STRICT;
          CREATE INDEX pending_settlements_by_age ON pending_settlements (kept_at_ms);
          """,
          // The log's tiles (core Tile): what proofs read instead of every leaf.
          """
          CREATE TABLE log_tiles (
            level  INTEGER NOT NULL CHECK (level >= 0),
            idx    INTEGER NOT NULL CHECK (idx >= 0),
            hashes BLOB NOT NULL CHECK (length(hashes) BETWEEN 32 AND 8192),
            PRIMARY KEY (level, idx)
          ) STRICT;
          """);

  private Schema() {}
}
