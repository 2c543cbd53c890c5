package dev.pinaivu.cli;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.GatewayServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A gateway with real node agent processes, for the end-to-end tests. */
final class Network implements AutoCloseable {
  final GatewayServer gateway;
  final List<NodeProcess> nodes = new ArrayList<>();
  private final Path dir;

  Network(Path dir) {
    this.dir = dir;
    this.gateway =
        GatewayServer.start(
            GatewayConfig.defaults(dir.resolve("gateway"), 0).withHeartbeatMs(1000));
  }

  NodeProcess addNode(String name, String... args) throws Exception {
    NodeProcess node = NodeProcess.start(gateway.baseUrl(), dir.resolve(name), args);
    nodes.add(node);
    return node;
  }

  /** Waits until {@code count} nodes are live, or fails showing what the agents printed. */
  void awaitLive(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (gateway.liveNodes() < count) {
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        nodes.forEach(n -> logs.append(n.log).append(":\n").append(n.output()).append('\n'));
        throw new AssertionError(gateway.liveNodes() + " of " + count + " nodes live\n" + logs);
      }
      Thread.sleep(50);
    }
  }

  String key() {
    return gateway.devKey().reveal();
  }

  String baseUrl() {
    return gateway.baseUrl();
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    gateway.close();
  }
}
