package dev.pinaivu.cli;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.secrets.MissingSecretException;
import dev.pinaivu.core.secrets.Secrets;
import dev.pinaivu.core.stores.NetworkStores;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.functions.secrets.SecretsManagerClients;
import dev.pinaivu.functions.secrets.SecretsManagerSecrets;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.functions.store.DynamoDbNetworkStores;
import dev.pinaivu.gateway.DataDir;
import dev.pinaivu.gateway.DataDirSecrets;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.store.SqliteDatabase;
import dev.pinaivu.gateway.store.SqliteLogStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code pinaivu gateway}: only the gateway, for operators who run their nodes elsewhere. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Run only the gateway (no node agent).")
final class GatewayCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Interface to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--data-dir",
      defaultValue = ".pinaivu",
      description = "State directory (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--coordinator",
      paramLabel = "HOST:PORT",
      description =
          "The coordinator to use (see `pinaivu coordinator`). Without it, a development"
              + " coordinator runs inside the gateway.")
  String coordinator;

  @Option(
      names = "--coordinator-secret-file",
      paramLabel = "FILE",
      description =
          "With --coordinator: the secret it shares with this gateway (its --parent-secret-file),"
              + " 64 hex digits in an owner-only file")
  Path coordinatorSecretFile;

  @Option(
      names = "--log-origin",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description =
          "The transparency log's name; the coordinator's --log-origin must be the same"
              + " (default: ${DEFAULT-VALUE})")
  String logOrigin;

  @Mixin ConnectionOptions connections;

  @Mixin MetricsOptions metrics;

  @Spec CommandSpec spec;

  @Option(
      names = "--log-table",
      paramLabel = "TABLE",
      description =
          "Keep the transparency log's leaves in this DynamoDB table (the coordinator stack's"
              + " log table) instead of the local database (with --store dynamodb too: else the"
              + " log stays in the data directory, one per gateway)")
  String logTable;

  @Mixin StoreOptions where;

  @Option(
      names = "--secrets-manager-prefix",
      paramLabel = "P",
      description =
          "With --store dynamodb: read the admin token and the account_ref secret from AWS"
              + " Secrets Manager, as P + admin-token and P + account-ref-secret (P ends with '/',"
              + " e.g. pinaivu/prod/), so that every gateway on the table shares them; the"
              + " deployment makes them (default: files in the data directory, one per gateway)")
  String secretsPrefix;

  @Option(
      names = "--secrets-manager-endpoint",
      paramLabel = "URL",
      description = "With --secrets-manager-prefix: another Secrets Manager endpoint (a VPC one)")
  URI secretsEndpoint;

  @Mixin PriceCeilingOptions prices;

  @Mixin DeadlineOptions deadlines;

  @Mixin NodeAdmissionOptions nodeAdmission;

  @Override
  public Integer call() throws IOException, InterruptedException {
    GatewayConfig config =
        nodeAdmission.applyTo(
            connections.applyTo(
                GatewayConfig.defaults(dataDir, port)
                    .withHost(host)
                    .withLogOrigin(logOrigin)
                    .withPriceCeilings(prices.ceilings())),
            0);
    Coordinator chosen;
    if (coordinator == null) {
      if (coordinatorSecretFile != null) {
        throw usage("--coordinator-secret-file goes with --coordinator");
      }
      chosen = GatewayServer.devCoordinator(logOrigin);
    } else {
      if (coordinatorSecretFile == null) {
        throw usage(
            "--coordinator needs --coordinator-secret-file: the coordinator serves only the"
                + " parent that knows its secret");
      }
      ParentSecret secret;
      try {
        secret = ParentSecretFile.read(coordinatorSecretFile);
      } catch (IllegalArgumentException e) {
        spec.commandLine()
            .getErr()
            .println("cannot read the coordinator secret: " + e.getMessage());
        return CommandLine.ExitCode.SOFTWARE;
      }
      chosen = new TcpCoordinator(address(coordinator), secret);
    }
    String misuse = where.misuse(logTable != null);
    if (misuse == null && secretsPrefix != null && !where.onDynamoDb()) {
      misuse = "--secrets-manager-prefix goes with --store dynamodb";
    }
    if (misuse == null && secretsEndpoint != null && secretsPrefix == null) {
      misuse = "--secrets-manager-endpoint goes with --secrets-manager-prefix";
    }
    if (misuse != null) {
      throw usage(misuse);
    }
    DynamoDbClient dynamo = null;
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer gateway;
    if (where.onDynamoDb()) {
      try {
        gateway = GatewayServer.start(config, deadlines.settings(), chosen, dynamoStores());
      } catch (MissingSecretException e) {
        spec.commandLine().getErr().println("cannot start: " + e.getMessage());
        return CommandLine.ExitCode.SOFTWARE;
      }
    } else {
      Function<SqliteDatabase, LogStore> logStore = SqliteLogStore::new;
      if (logTable != null) {
        DynamoDbClient client = where.client();
        dynamo = client;
        logStore = db -> new DynamoDbLogStore(client, logTable, logOrigin);
      }
      gateway = GatewayServer.start(config, deadlines.settings(), chosen, logStore);
    }
    DynamoDbClient opened = dynamo;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              gateway.close();
              if (opened != null) {
                opened.close();
              }
              stopped.countDown();
            }));
    Banner.print(gateway, dataDir);
    metrics.serve(gateway, System.out);
    stopped.await();
    return 0;
  }

  /**
   * Every store on the network table, which other gateways may share; the log in {@code
   * --log-table} or, without it, in the data directory's database (each gateway its own log).
   */
  private NetworkStores dynamoStores() {
    DataDir.secure(dataDir); // before the log's database or any secret in it is made
    Secrets secrets;
    SecretsManagerClient secretsClient = null;
    if (secretsPrefix == null) {
      secrets = new DataDirSecrets(dataDir);
    } else {
      secretsClient = SecretsManagerClients.create(where.awsRegion, secretsEndpoint);
      secrets = new SecretsManagerSecrets(secretsClient, secretsPrefix);
    }
    SecretsManagerClient openedSecrets = secretsClient;
    DynamoDbClient client = where.client();
    SqliteDatabase logDb = logTable == null ? SqliteDatabase.openIn(dataDir) : null;
    LogStore log =
        logTable == null
            ? new SqliteLogStore(logDb)
            : new DynamoDbLogStore(client, logTable, logOrigin);
    return DynamoDbNetworkStores.on(
        client,
        where.tablePrefix,
        log,
        secrets,
        () -> {
          if (logDb != null) {
            logDb.close();
          }
          if (openedSecrets != null) {
            openedSecrets.close();
          }
          client.close();
        });
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("--coordinator must be HOST:PORT, got " + hostPort);
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
