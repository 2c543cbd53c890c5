package dev.pinaivu.core.stores;

import dev.pinaivu.core.auth.ApiKeyStore;
import dev.pinaivu.core.billing.PendingSettlements;
import dev.pinaivu.core.billing.SettlementRecords;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.limits.KeySpend;
import dev.pinaivu.core.limits.RateLimits;
import dev.pinaivu.core.limits.Reservations;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.receipt.CoordinatorKeys;
import dev.pinaivu.core.reputation.ConductRecords;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.usage.ReceiptStore;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Every store of the network one gateway process works with, as ports: a data directory's SQLite
 * file ({@code SqliteNetworkStores} in the gateway) or DynamoDB tables shared by many processes
 * ({@code DynamoDbNetworkStores} in functions). The gateway is built from this and never opens a
 * store itself.
 *
 * @param keys API keys; on DynamoDB the request path reads them through a short cache
 * @param nodes the node registry: in this process's memory locally, shared on DynamoDB
 * @param conduct what each node did (reputation, quarantine), read when it connects
 * @param owedCount how many settlements are owed now, for the metrics gauge (read on a scrape)
 * @param closing what closing the bundle releases (the database file, the SDK client)
 */
public record NetworkStores(
    ApiKeyStore keys,
    Ledger ledger,
    KeySpend spend,
    ReceiptStore receipts,
    PendingSettlements pending,
    LongSupplier owedCount,
    SettlementRecords records,
    Reservations holds,
    RateLimits rateLimits,
    CoordinatorKeys coordinatorKeys,
    NodeRegistry nodes,
    ConductRecords conduct,
    LogStore log,
    Secrets secrets,
    Runnable closing)
    implements AutoCloseable {
  public NetworkStores {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(spend, "spend");
    Objects.requireNonNull(receipts, "receipts");
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(owedCount, "owedCount");
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(holds, "holds");
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(coordinatorKeys, "coordinatorKeys");
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(conduct, "conduct");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(closing, "closing");
  }

  @Override
  public void close() {
    closing.run();
  }
}
