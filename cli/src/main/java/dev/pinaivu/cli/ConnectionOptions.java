package dev.pinaivu.cli;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.connections.ClientLimits;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The gateway's connection caps, for {@code pinaivu gateway} and {@code up}. */
final class ConnectionOptions {
  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + ClientLimits.DEFAULT_CONNECTIONS,
      description =
          "Open connections the gateway takes in all, nodes' included; more are closed at once."
              + " At most 80% of the file-descriptor limit (ulimit -n) (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(
      names = "--max-connections-per-client",
      paramLabel = "N",
      defaultValue = "" + ClientLimits.DEFAULT_CONNECTIONS_PER_ADDRESS,
      description =
          "Open HTTP connections one client address (an IPv6 /64) may hold; more are closed at"
              + " once. Nodes' WebSocket connections do not count (default: ${DEFAULT-VALUE})")
  int connectionsPerClient;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  GatewayConfig applyTo(GatewayConfig config) {
    if (connections < 1 || connectionsPerClient < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-connections and --max-connections-per-client are at least 1");
    }
    return config.withClientLimits(
        config.clientLimits().withConnections(connectionsPerClient, connections));
  }
}
