package dev.pinaivu.gateway.connections;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client, and all of them together, may hold of the gateway's HTTP server.
 *
 * @param connectionsPerAddress open HTTP connections one client address may have (an IPv6 client is
 *     its /64); more are closed at once. WebSocket connections of nodes do not count here
 * @param connections open connections of every kind the process accepts; more are closed at once.
 *     The server takes the smaller of this and 80% of its file-descriptor limit
 * @param headerTimeout the time a connection has to send a whole request head, from its opening or
 *     from the end of its previous request; then it is closed
 * @param bodyTimeout the time a request has to send its whole body once the gateway reads it; then
 *     it is answered 408
 * @param idleTimeout the longest silence on a connection in the middle of a request
 */
public record ClientLimits(
    int connectionsPerAddress,
    int connections,
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout) {
  public static final int DEFAULT_CONNECTIONS_PER_ADDRESS = 256;
  public static final int DEFAULT_CONNECTIONS = 10_000;

  public static final ClientLimits DEFAULTS =
      new ClientLimits(
          DEFAULT_CONNECTIONS_PER_ADDRESS,
          DEFAULT_CONNECTIONS,
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  /** The share of the file-descriptor limit connections may take; the rest is the database's. */
  static final double FD_SHARE = 0.8;

  public ClientLimits {
    if (connectionsPerAddress < 1 || connections < 1) {
      throw new IllegalArgumentException("connection caps are at least 1");
    }
    for (Duration d : new Duration[] {headerTimeout, bodyTimeout, idleTimeout}) {
      if (Objects.requireNonNull(d, "timeout").toMillis() < 1) {
        throw new IllegalArgumentException("timeouts are at least 1 ms");
      }
    }
  }

  public ClientLimits withConnections(int perAddress, int total) {
    return new ClientLimits(perAddress, total, headerTimeout, bodyTimeout, idleTimeout);
  }

  public ClientLimits withTimeouts(Duration header, Duration body, Duration idle) {
    return new ClientLimits(connectionsPerAddress, connections, header, body, idle);
  }

  /** The process-wide cap under a file-descriptor limit of {@code maxFds} (0: unknown). */
  public int connectionsUnder(long maxFds) {
    if (maxFds <= 0) {
      return connections;
    }
    return (int) Math.max(1, Math.min(connections, (long) (maxFds * FD_SHARE)));
  }
}
