package dev.pinaivu.cli;

import dev.pinaivu.gateway.GatewayConfig;
import dev.pinaivu.gateway.connections.ClientLimits;
import dev.pinaivu.gateway.http.CorsOrigins;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Who may connect to the gateway and how many at once, for {@code pinaivu gateway} and {@code up}:
 * the connection caps and the web origins allowed to call {@code /v1} from a browser.
 */
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

  @Option(
      names = "--cors-origins",
      paramLabel = "ORIGINS",
      defaultValue = "*",
      description =
          "Web origins a browser may call /v1 from: * (any), none, or a comma-separated list such"
              + " as https://app.example,http://localhost:3000. The admin API allows none"
              + " (default: ${DEFAULT-VALUE})")
  String corsOrigins;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  GatewayConfig applyTo(GatewayConfig config) {
    if (connections < 1 || connectionsPerClient < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-connections and --max-connections-per-client are at least 1");
    }
    CorsOrigins cors;
    try {
      cors = CorsOrigins.parse(corsOrigins);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--cors-origins: " + e.getMessage());
    }
    return config
        .withClientLimits(config.clientLimits().withConnections(connectionsPerClient, connections))
        .withCors(cors);
  }
}
