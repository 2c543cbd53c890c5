package dev.pinaivu.cli;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
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

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config = GatewayConfig.defaults(dataDir, port).withHost(host);
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer gateway = GatewayServer.start(config);
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
}
