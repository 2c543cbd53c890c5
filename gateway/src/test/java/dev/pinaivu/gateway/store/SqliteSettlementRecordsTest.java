package dev.pinaivu.gateway.store;

import dev.pinaivu.core.billing.SettlementRecordsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteSettlementRecordsTest extends SettlementRecordsContract {
  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected Stores newStores() {
    db = SqliteDatabase.open(dir.resolve("store.db"));
    return new Stores(
        new SqliteSettlementRecords(db),
        new SqliteReceiptStore(db),
        new SqliteLedger(db),
        new SqliteKeySpend(db),
        new SqlitePendingSettlements(db));
  }

  @AfterEach
  void close() {
    db.close();
  }
}
