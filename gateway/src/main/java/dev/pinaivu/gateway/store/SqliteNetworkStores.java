package dev.pinaivu.gateway.store;

import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.limits.LedgerReservations;
import dev.pinaivu.core.limits.RateLimiter;
import dev.pinaivu.core.node.InMemoryNodeRegistry;
import dev.pinaivu.core.reputation.InMemoryConductRecords;
import dev.pinaivu.core.stores.NetworkStores;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.gateway.DataDirSecrets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/**
 * The network's stores of one gateway on its data directory, as {@code ./pinaivu up} has always
 * kept them: one SQLite file, rate windows and holds in this process's memory, secrets as files.
 */
public final class SqliteNetworkStores {
  private SqliteNetworkStores() {}

  /**
   * Opens (or makes) the data directory's database; the directory must already be secured ({@code
   * DataDir.secure}), as the secrets in it are read from here.
   *
   * @param logStore the log's leaves, given the database (the SQLite default or another table)
   */
  public static NetworkStores openIn(
      Path dataDir, Function<SqliteDatabase, LogStore> logStore, Clock clock) {
    SqliteDatabase db = SqliteDatabase.openIn(dataDir);
    try {
      Ledger ledger = new SqliteLedger(db);
      KeySpend spend = new SqliteKeySpend(db);
      SqlitePendingSettlements pending = new SqlitePendingSettlements(db);
      return new NetworkStores(
          new SqliteApiKeyStore(db),
          ledger,
          spend,
          new SqliteReceiptStore(db),
          pending,
          pending::count,
          new SqliteSettlementRecords(db),
          new LedgerReservations(ledger, spend),
          new RateLimiter(clock),
          new SqliteCoordinatorKeys(db),
          new InMemoryNodeRegistry(), // nodes connect to this one process
          new InMemoryConductRecords(),
          logStore.apply(db),
          new DataDirSecrets(dataDir),
          db::close);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
