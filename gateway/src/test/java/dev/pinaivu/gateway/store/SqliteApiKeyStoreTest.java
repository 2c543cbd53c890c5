package dev.pinaivu.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.auth.ApiKeyRecord;
import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.auth.ApiKeyStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
