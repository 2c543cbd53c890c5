package dev.pinaivu.cli;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import dev.pinaivu.gateway.coordinator.TcpCoordinator;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
      names = "--log-origin",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description =
          "The transparency log's name; the coordinator's --log-origin must be the same"
              + " (default: ${DEFAULT-VALUE})")
  String logOrigin;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config =
        GatewayConfig.defaults(dataDir, port).withHost(host).withLogOrigin(logOrigin);
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer gateway =
        coordinator == null
            ? GatewayServer.start(config)
            : GatewayServer.start(config, new TcpCoordinator(address(coordinator)));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              gateway.close();
              stopped.countDown();
            }));
    Banner.print(gateway, dataDir);
    stopped.await();
    return 0;
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
