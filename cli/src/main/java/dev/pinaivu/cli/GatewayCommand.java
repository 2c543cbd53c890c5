package dev.pinaivu.cli;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.coordinator.ParentSecret;
import dev.pinaivu.core.coordinator.ParentSecretFile;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.functions.store.DynamoDbClients;
import dev.pinaivu.functions.store.DynamoDbLogStore;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.coordinator.TcpCoordinator;
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
              + " log table) instead of the local database")
  String logTable;

  @Option(
      names = "--aws-region",
      description = "With --log-table: the table's region (default: the SDK's, e.g. AWS_REGION)")
  String awsRegion;

  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description = "With --log-table: another DynamoDB endpoint (an emulator, a VPC endpoint)")
  URI dynamoEndpoint;

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
    DynamoDbClient dynamo = null;
    Function<SqliteDatabase, LogStore> logStore = SqliteLogStore::new;
    if (logTable != null) {
      DynamoDbClient client = DynamoDbClients.create(awsRegion, dynamoEndpoint);
      dynamo = client;
      logStore = db -> new DynamoDbLogStore(client, logTable, logOrigin);
    } else if (awsRegion != null || dynamoEndpoint != null) {
      throw usage("--aws-region and --dynamodb-endpoint go with --log-table");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer gateway = GatewayServer.start(config, deadlines.settings(), chosen, logStore);
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
