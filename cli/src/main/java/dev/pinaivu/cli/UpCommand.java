package dev.pinaivu.cli;

import dev.pinaivu.cli.receipts.LocalNetwork;
import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pinaivu up}: the whole network on one machine. The coordinator runs in its own process (in
 * dev mode, where production runs it in an enclave), the gateway in this process, and each node
 * agent is a separate process that connects over WebSocket like any outside operator. Ctrl-C stops
 * everything it started; the agents also exit if this process dies. The gateway and the coordinator
 * share the secret in {@code DATA_DIR/coordinator-secret} (created owner-only at the first start).
 * A coordinator that dies is started again on the same address ({@link CoordinatorSupervisor}); the
 * gateway reconnects to it and its nodes learn its new key.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Start a local Pinaivu network: the gateway and a GPU node agent.")
final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Gateway HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--data-dir",
      defaultValue = ".pinaivu",
      description = "State directory (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--upstream",
      description =
          "Serve an OpenAI-compatible inference server (e.g. http://127.0.0.1:11434/v1)"
              + " instead of the demo backend.")
  URI upstream;

  @Option(
      names = "--nodes",
      defaultValue = "1",
      description = "Node agents to start (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(
      names = "--log-origin",
      defaultValue = CoordinatorOptions.DEFAULT_LOG_ORIGIN,
      description = "The transparency log's name (default: ${DEFAULT-VALUE})")
  String logOrigin;

  @Option(
      names = "--ready-timeout",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "How long to wait for a node to offer a model before giving up (default:"
              + " ${DEFAULT-VALUE})")
  long readyTimeout;

  @Mixin PriceCeilingOptions prices;

  @Mixin ConnectionOptions connections;

  @Mixin MetricsOptions metrics;

  @Mixin DeadlineOptions deadlines;

  @Mixin NodeAdmissionOptions nodeAdmission;

  @Override
  public Integer call() throws IOException, InterruptedException {
    CoordinatorProcess coordinator =
        CoordinatorProcess.start(
            GatewayServer.DEFAULT_FEE_BPS,
            logOrigin,
            dataDir.resolve(CoordinatorProcess.SECRET_FILE)); // made owner-only when absent
    GatewayServer gateway;
    try {
      gateway =
          GatewayServer.start(
              nodeAdmission.applyTo(
                  connections.applyTo(
                      GatewayConfig.defaults(dataDir, port)
                          .withLogOrigin(logOrigin)
                          .withPriceCeilings(prices.ceilings())),
                  nodes), // the agents up starts all connect from loopback
              deadlines.settings(),
              coordinator.client());
    } catch (RuntimeException e) {
      coordinator.close();
      throw e;
    }
    List<Process> agents = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(0);
    CoordinatorSupervisor supervisor =
        new CoordinatorSupervisor(
            coordinator,
            System.out,
            why -> {
              System.err.println("pinaivu up: " + why);
              exitCode.set(1);
              stopped.countDown(); // the shutdown hook then stops the rest
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              agents.forEach(UpCommand::stop);
              LocalNetwork.forget(dataDir, gateway.baseUrl());
              gateway.close();
              supervisor.close();
              stopped.countDown();
            }));
    for (int i = 1; i <= Math.max(nodes, 1); i++) {
      agents.add(startAgent(gateway, dataDir.resolve("node-" + i)));
    }
    System.out.println("Waiting for a node to offer a model on " + gateway.baseUrl() + " ...");
    if (!ModelsReady.await(
        gateway.baseUrl(), gateway.devKey().reveal(), Duration.ofSeconds(readyTimeout))) {
      System.err.println(
          "pinaivu up: no node offered a model within "
              + readyTimeout
              + " s, so no chat completion can be served; see the node's log lines above (an"
              + " --upstream that is down or lists no models, or a node that exited), or raise"
              + " --ready-timeout for a slow upstream. Stopping.");
      return 1; // the shutdown hook stops the gateway, the coordinator and the nodes
    }
    LocalNetwork.write(dataDir, gateway.baseUrl()); // receipts verify etc. find it there
    Banner.print(gateway, dataDir);
    metrics.serve(gateway, System.out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gateway.liveNodes() < agents.size() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    System.out.println(
        gateway.liveNodes() + " of " + agents.size() + " node(s) live. Press Ctrl-C to stop.");
    stopped.await();
    return exitCode.get();
  }

  private Process startAgent(GatewayServer gateway, Path nodeDir) throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("node", "--gateway", gateway.baseUrl(), "--data-dir", nodeDir.toString()));
    args.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
    args.add("--trust-dev-coordinator"); // this machine's own coordinator, started just above
    if (upstream != null) {
      args.addAll(List.of("--upstream", upstream.toString()));
    }
    return new ProcessBuilder(JavaCommand.of(Pinaivu.class.getName(), args.toArray(String[]::new)))
        .inheritIO()
        .start();
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
