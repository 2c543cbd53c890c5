package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.ApiKeyStoreContract;
import dev.pinaivu.core.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteApiKeyStoreTest extends ApiKeyStoreContract {
  private SqliteDatabase db;
  @TempDir Path dir;

  @Override
  protected ApiKeyStore newStore() {
    db = SqliteDatabase.open(dir.resolve("test.db"));
    return new SqliteApiKeyStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void keys_surviveReopeningTheFile_andOnlyTheHashIsWritten() throws Exception {
    ApiKey key = ApiKey.generate();
    ApiKeyRecord r = new ApiKeyRecord("key_x", "n", "acct", key.hash(), key.hint(), 5, null);
    new SqliteApiKeyStore(db).insert(r);
    db.close();

    db = SqliteDatabase.open(dir.resolve("test.db"));
    assertThat(new SqliteApiKeyStore(db).findByHash(key.hash())).contains(r);
    for (Path file : Files.list(dir).toList()) {
      String bytes =
          new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(bytes).doesNotContain(key.reveal());
    }
  }

  @Test
  void keysFromBeforeScopes_keepEveryScopeEveryModelAndNoLimits() throws Exception {
    Path file = dir.resolve("old.db");
    ApiKey key = ApiKey.generate();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      // the schema as the first migration left it, with the development key in it
      s.executeUpdate(
          "CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, account_id TEXT NOT"
              + " NULL, key_hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, created_at_ms INTEGER"
              + " NOT NULL, revoked_at_ms INTEGER)");
      s.executeUpdate(
          "INSERT INTO api_keys VALUES ('key_dev', 'development key', 'acct_dev', '"
              + key.hash()
              + "', '"
              + key.hint()
              + "', 7, NULL)");
      s.executeUpdate("PRAGMA user_version = 1");
    }

    try (SqliteDatabase old = SqliteDatabase.open(file)) {
      ApiKeyRecord dev = new SqliteApiKeyStore(old).findByHash(key.hash()).orElseThrow();

      assertThat(dev)
          .isEqualTo(
              new ApiKeyRecord(
                  "key_dev", "development key", "acct_dev", key.hash(), key.hint(), 7, null));
      assertThat(dev.scopes()).containsExactlyElementsOf(Scope.all());
      assertThat(dev.models()).isEmpty();
      assertThat(dev.rpm()).isNull();
      assertThat(dev.tpm()).isNull();
      assertThat(dev.budgetMicros()).isNull();
    }
  }

  @Test
  void scopesANewerBuildWrote_areSkippedOnReading() {
    ApiKey key = ApiKey.generate();
    new SqliteApiKeyStore(db)
        .insert(new ApiKeyRecord("key_y", "n", "acct_a", key.hash(), key.hint(), 5, null));
    db.transaction(c -> {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE api_keys SET scopes = '[\"chat\",\"embeddings\"]'");
      }
      return null;
    });

    assertThat(new SqliteApiKeyStore(db).findById("key_y").orElseThrow().scopes())
        .containsExactly(Scope.CHAT);
  }

  @Test
  void revocationByAnotherConnection_isSeenByTheNextLookup() {
    ApiKey key = ApiKey.generate();
    SqliteApiKeyStore server = new SqliteApiKeyStore(db);
    server.insert(new ApiKeyRecord("key_z", "n", "acct_a", key.hash(), key.hint(), 5, null));
    assertThat(server.findByHash(key.hash()).orElseThrow().active()).isTrue();

    try (SqliteDatabase cli = SqliteDatabase.open(dir.resolve("test.db"))) {
      assertThat(new SqliteApiKeyStore(cli).revoke("key_z", 9)).isTrue();
    }

    assertThat(server.findByHash(key.hash()).orElseThrow().active()).isFalse();
  }
}
