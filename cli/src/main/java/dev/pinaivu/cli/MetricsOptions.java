package dev.pinaivu.cli;

import dev.pinaivu.gateway.GatewayServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** Where the gateway serves {@code /metrics}, for {@code pinaivu gateway} and {@code up}. */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics, on a listener apart from the API;"
              + " scrapes need 'Authorization: Bearer' with the token in DATA_DIR/metrics-token"
              + " (default: not served)")
  Integer port;

  @Option(
      names = "--metrics-host",
      defaultValue = "127.0.0.1",
      description = "Interface the metrics listener binds (default: ${DEFAULT-VALUE})")
  String host;

  /** Starts the metrics listener if asked for, and says where it is. */
  void serve(GatewayServer gateway, PrintStream out) throws IOException {
    if (port == null) {
      return;
    }
    InetSocketAddress at = gateway.serveMetrics(host, port);
    out.println(
        "Metrics:   http://"
            + host
            + ":"
            + at.getPort()
            + "/metrics (Bearer token in "
            + gateway.metricsTokenFile()
            + ")");
  }
}
