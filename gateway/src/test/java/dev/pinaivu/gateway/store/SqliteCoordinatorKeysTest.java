package dev.pinaivu.gateway.store;

import dev.pinaivu.core.receipt.CoordinatorKeys;
import dev.pinaivu.core.receipt.CoordinatorKeysContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteCoordinatorKeysTest extends CoordinatorKeysContract {
  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected CoordinatorKeys newKeys() {
    db = SqliteDatabase.open(dir.resolve("store.db"));
    return new SqliteCoordinatorKeys(db);
  }

  @AfterEach
  void close() {
    db.close();
  }
}
