package dev.pinaivu.gateway.store;

import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.billing.PendingSettlementsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqlitePendingSettlementsTest extends PendingSettlementsContract {
  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected PendingSettlements newStore() {
    db = SqliteDatabase.open(dir.resolve("owed.db"));
    return new SqlitePendingSettlements(db);
  }

  @AfterEach
  void closeDatabase() {
    if (db != null) {
      db.close();
    }
  }
}
