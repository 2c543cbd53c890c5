package dev.pinaivu.functions.api;

import dev.pinaivu.core.admin.OperatorAdmin;
import dev.pinaivu.core.auth.Authenticator;
import dev.pinaivu.core.auth.CachedApiKeyStore;
import dev.pinaivu.core.auth.KeyIssuer;
import dev.pinaivu.core.models.ModelCatalog;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.reputation.ConductRules;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.core.translog.LogQueries;
import dev.pinaivu.core.translog.ReceiptEvidence;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.core.usage.AccountQueries;
import dev.pinaivu.core.usage.ReceiptLookup;
import dev.pinaivu.core.usage.UsageReport;
import dev.pinaivu.functions.store.DynamoDbApiKeyStore;
import dev.pinaivu.functions.store.DynamoDbClients;
import dev.pinaivu.functions.store.DynamoDbConductRecords;
import dev.pinaivu.functions.store.DynamoDbCoordinatorKeys;
import dev.pinaivu.functions.store.DynamoDbKeySpend;
import dev.pinaivu.functions.store.DynamoDbLedger;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.functions.store.DynamoDbNodeRegistry;
import dev.pinaivu.functions.store.DynamoDbReceiptStore;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The serverless deployment's composition root: what one Lambda execution environment builds once
 * (its SDK clients and the use cases over them) from its environment variables, before its first
 * invocation, and every handler in it shares. The CDK stack sets the variables:
 *
 * <ul>
 *   <li>{@value #TABLE_PREFIX} (required): the network table is {@code <prefix>network} (ADR 21);
 *   <li>{@value #LOG_TABLE} and {@value #LOG_ORIGIN} (together, optional): the transparency log
 *       whose proofs receipts are served with; without them a receipt carries only the index its
 *       coordinator gave;
 *   <li>{@value #DYNAMODB_ENDPOINT} (optional): a VPC endpoint, or an emulator in tests;
 *   <li>{@code AWS_REGION}, set by Lambda.
 * </ul>
 */
public final class ServerlessNetwork {
  public static final String TABLE_PREFIX = "PINAIVU_TABLE_PREFIX";
  public static final String LOG_TABLE = "PINAIVU_LOG_TABLE";
  public static final String LOG_ORIGIN = "PINAIVU_LOG_ORIGIN";
  public static final String DYNAMODB_ENDPOINT = "PINAIVU_DYNAMODB_ENDPOINT";

  /**
   * A node is live while heard from within three of its heartbeat intervals (the gateway's default
   * of 5 s), as the process holding its connection counts.
   */
  static final long NODE_SILENCE_MS =
      dev.pinaivu.functions.dispatch.RelayDispatcher.NODE_SILENCE_MS;

  /** The account of keys the admin API makes without one: the same as {@code pinaivu keys}'s. */
  static final String DEFAULT_ACCOUNT = "acct_dev";

  private static volatile ServerlessNetwork shared;

  private final AccountQueries accountQueries;
  private final ModelCatalog models;
  private final LogQueries log; // null when the deployment names no log
  private final OperatorAdmin admin;

  /**
   * @param logTable the log's table and origin, or null when the deployment serves no proofs
   */
  ServerlessNetwork(DynamoDbClient dynamo, String prefix, String logTable, String logOrigin) {
    Clock clock = Clock.systemUTC();
    String table = DynamoDbNetworkStores.networkTable(prefix);
    DynamoDbReceiptStore receipts = new DynamoDbReceiptStore(dynamo, table);
    UnaryOperator<SignedReceipt> evidence = UnaryOperator.identity();
    if (logTable != null) {
      TransparencyLog log =
          new TransparencyLog(logOrigin, new DynamoDbLogStore(dynamo, logTable, logOrigin));
      evidence = new ReceiptEvidence(log)::attach;
      this.log = new LogQueries(log);
    } else {
      this.log = null;
    }
    Authenticator authenticator = authenticator(dynamo, table, clock);
    this.admin =
        new OperatorAdmin(
            new KeyIssuer(new DynamoDbApiKeyStore(dynamo, table), clock),
            new DynamoDbKeySpend(dynamo, table),
            new DynamoDbLedger(dynamo, table, clock),
            DEFAULT_ACCOUNT);
    this.models =
        new ModelCatalog(
            authenticator,
            directory(new DynamoDbNodeRegistry(dynamo, table), dynamo, table, clock),
            PriceCeilings.DEFAULTS);
    this.accountQueries =
        new AccountQueries(
            authenticator,
            new UsageReport(receipts, clock),
            new ReceiptLookup(receipts),
            AccountQueries.Settling.NONE, // a Lambda settles nothing: the receipt is there or not
            new DynamoDbCoordinatorKeys(dynamo, table)::all,
            evidence);
  }

  /** Keys checked against the network table, each cached for a second (ADR 21). */
  static Authenticator authenticator(DynamoDbClient dynamo, String table, Clock clock) {
    return new Authenticator(
        new CachedApiKeyStore(
            new DynamoDbApiKeyStore(dynamo, table), DynamoDbNetworkStores.KEY_CACHE_AGE, clock));
  }

  /**
   * The nodes of {@code registry} with their shared conduct, as a process without nodes sees them.
   */
  static RegistryDirectory directory(
      NodeRegistry registry, DynamoDbClient dynamo, String table, Clock clock) {
    return new RegistryDirectory(
        registry,
        new DynamoDbConductRecords(dynamo, table),
        ConductRules.DEFAULTS,
        NODE_SILENCE_MS,
        clock);
  }

  /** The environment's network, built on first use from {@link System#getenv()}. */
  static ServerlessNetwork shared() {
    ServerlessNetwork network = shared;
    if (network == null) {
      synchronized (ServerlessNetwork.class) {
        network = shared;
        if (network == null) {
          network = fromEnvironment(System.getenv());
          shared = network;
        }
      }
    }
    return network;
  }

  /**
   * The network the variables in {@code env} describe.
   *
   * @throws IllegalStateException naming a variable that is missing or malformed
   */
  public static ServerlessNetwork fromEnvironment(Map<String, String> env) {
    String prefix = required(env, TABLE_PREFIX);
    String logTable = env.get(LOG_TABLE);
    String logOrigin = env.get(LOG_ORIGIN);
    if ((logTable == null) != (logOrigin == null)) {
      throw new IllegalStateException(
          "set both " + LOG_TABLE + " and " + LOG_ORIGIN + ", or neither");
    }
    String endpoint = env.get(DYNAMODB_ENDPOINT);
    URI uri;
    try {
      uri = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(DYNAMODB_ENDPOINT + " is not a URL: " + endpoint, e);
    }
    DynamoDbClient dynamo = DynamoDbClients.create(env.get("AWS_REGION"), uri);
    return new ServerlessNetwork(dynamo, prefix, logTable, logOrigin);
  }

  /**
   * The variable {@code name}, which the deployment sets; a missing one stops the init naming it.
   */
  static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "the environment variable " + name + " is not set: the deployment sets it");
    }
    return value;
  }

  /** The operator's use cases: built with the rest, used only by the admin function. */
  public OperatorAdmin admin() {
    return admin;
  }

  public AccountQueries accountQueries() {
    return accountQueries;
  }

  public ModelCatalog models() {
    return models;
  }

  /**
   * The transparency log's public queries.
   *
   * @throws IllegalStateException when the environment names no log: the log's function is only
   *     deployed with one
   */
  public LogQueries log() {
    if (log == null) {
      throw new IllegalStateException(
          "the environment names no transparency log: set " + LOG_TABLE + " and " + LOG_ORIGIN);
    }
    return log;
  }
}
