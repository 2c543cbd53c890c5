package dev.pinaivu.functions.store;

import dev.pinaivu.core.auth.CachedApiKeyStore;
import dev.pinaivu.core.node.BackgroundNodeWrites;
import dev.pinaivu.core.reputation.BackgroundConductRecords;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.stores.NetworkStores;
import dev.pinaivu.core.translog.LogStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The network's stores on the table {@code <prefix>network} (ADR 21), which any number of gateway
 * processes share: keys (read through a 1 s cache on the request path), the ledger, key spend,
 * receipts, owed settlements, settlement records, holds, rate windows, coordinator keys and the
 * node registry. The log and the secrets are the caller's (a log table or the data directory's
 * database; the data directory's files or Secrets Manager).
 */
public final class DynamoDbNetworkStores {
  /** How stale a key by hash may be on the request path: a revocation takes effect within it. */
  public static final Duration KEY_CACHE_AGE = Duration.ofSeconds(1);

  private DynamoDbNetworkStores() {}

  /** The network table's name for {@code prefix}. */
  public static String networkTable(String prefix) {
    return prefix + "network";
  }

  /**
   * @param closing run when the bundle closes (after nothing else of it is used), e.g. closing the
   *     client and the log's database
   */
  public static NetworkStores on(
      DynamoDbClient dynamo, String prefix, LogStore log, Secrets secrets, Runnable closing) {
    Clock clock = Clock.systemUTC();
    String table = networkTable(prefix);
    DynamoDbLedger ledger = new DynamoDbLedger(dynamo, table, clock);
    DynamoDbPendingSettlements pending = new DynamoDbPendingSettlements(dynamo, table);
    // the writes nobody waits on (heartbeats, results, conduct): off the socket and request threads
    ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    return new NetworkStores(
        new CachedApiKeyStore(new DynamoDbApiKeyStore(dynamo, table), KEY_CACHE_AGE, clock),
        ledger,
        new DynamoDbKeySpend(dynamo, table),
        new DynamoDbReceiptStore(dynamo, table),
        pending,
        () -> pending.keptUntil(Long.MAX_VALUE).size(),
        new DynamoDbSettlementRecords(dynamo, table, clock),
        new DynamoDbReservations(dynamo, table),
        new DynamoDbRateLimits(dynamo, table, clock),
        new DynamoDbCoordinatorKeys(dynamo, table),
        new BackgroundNodeWrites(new DynamoDbNodeRegistry(dynamo, table), background),
        new BackgroundConductRecords(new DynamoDbConductRecords(dynamo, table), background),
        log,
        secrets,
        () -> {
          background.shutdown();
          try {
            background.awaitTermination(5, TimeUnit.SECONDS); // the last heartbeats and records
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          closing.run();
        });
  }

  /**
   * Makes the network table for {@code prefix} unless it exists (then it is left as it is).
   *
   * @return whether it was made
   */
  public static boolean createIfAbsent(DynamoDbClient dynamo, String prefix) {
    String table = networkTable(prefix);
    try {
      dynamo.describeTable(b -> b.tableName(table));
      return false;
    } catch (ResourceNotFoundException e) {
      NetworkTable.create(dynamo, table);
      return true;
    } catch (SdkException e) {
      throw new NetworkStoreException("describe table " + table, e);
    }
  }
}
