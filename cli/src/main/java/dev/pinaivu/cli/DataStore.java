package dev.pinaivu.cli;

import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbKeySpend;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.gateway.DataDir;
import dev.pinaivu.gateway.store.SqliteApiKeyStore;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteKeySpend;
import dev.pinaivu.gateway.store.SqliteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code --data-dir} (or {@code --store dynamodb ...}) for commands that work on the gateway's
 * stores directly. SQLite in WAL mode lets them run while a gateway uses the same file; the gateway
 * reads keys on every request, so a change is seen by the next one (on DynamoDB within the
 * gateways' 1 s key cache). The directory and its files are made owner-only as the gateway makes
 * them ({@link DataDir}).
 */
final class DataStore {
  @Option(
      names = "--data-dir",
      defaultValue = ".pinaivu",
      description = "State directory of the gateway (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Mixin StoreOptions where;

  /** The stores these commands use, open; closing releases the database or the client. */
  record Opened(ApiKeyStore keys, KeySpend spend, Ledger ledger, AutoCloseable resource)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close the store: " + e.getMessage(), e);
      }
    }
  }

  /** Opens the stores, creating the database if needed (a gateway started later will use it). */
  Opened openOrCreate() {
    if (where.onDynamoDb()) {
      return dynamo();
    }
    DataDir.secure(dataDir);
    return sqlite(SqliteDatabase.openIn(dataDir));
  }

  /** Opens existing stores; a missing database is a mistake worth saying, not an empty list. */
  Opened openExisting() {
    if (where.onDynamoDb()) {
      return dynamo();
    }
    if (!Files.exists(dataDir.resolve(SqliteDatabase.FILE))) {
      throw new IllegalArgumentException(
          "no Pinaivu database in "
              + dataDir.toAbsolutePath().normalize()
              + ": pass --data-dir DIR of the running gateway (./pinaivu up --data-dir, default"
              + " .pinaivu in the directory it was started from), or start a gateway there first");
    }
    DataDir.secure(dataDir);
    return sqlite(SqliteDatabase.openIn(dataDir));
  }

  private static Opened sqlite(SqliteDatabase db) {
    return new Opened(new SqliteApiKeyStore(db), new SqliteKeySpend(db), new SqliteLedger(db), db);
  }

  private Opened dynamo() {
    String misuse = where.misuse(false);
    if (misuse != null) {
      throw new IllegalArgumentException(misuse);
    }
    DynamoDbClient client = where.client();
    String table = DynamoDbNetworkStores.networkTable(where.tablePrefix);
    return new Opened(
        new DynamoDbApiKeyStore(client, table),
        new DynamoDbKeySpend(client, table),
        new DynamoDbLedger(client, table, InstantSource.system()),
        client);
  }
}
