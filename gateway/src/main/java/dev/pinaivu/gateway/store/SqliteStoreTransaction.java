package dev.pinaivu.gateway.store;

import dev.pinaivu.core.billing.StoreTransaction;
import java.util.function.Supplier;

/**
 * {@link StoreTransaction} for the SQLite adapters of one database: their writes inside the work
 * join one transaction ({@link SqliteDatabase#transaction} nests), so they commit with one fsync or
 * not at all.
 */
public final class SqliteStoreTransaction implements StoreTransaction {
  private final SqliteDatabase db;

  public SqliteStoreTransaction(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public <T> T inOne(Supplier<T> work) {
    return db.transaction(connection -> work.get());
  }
}
