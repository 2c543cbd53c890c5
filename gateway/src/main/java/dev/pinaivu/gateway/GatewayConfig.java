package dev.pinaivu.gateway;

import java.nio.file.Path;

/**
 * How the local gateway runs.
 *
 * @param host interface to bind; loopback unless the operator means otherwise
 * @param port 0 picks a free port
 * @param dataDir where the database and the development key live
 * @param logCheckpointMs how often the gateway asks the coordinator for a log checkpoint, when the
 *     log grew
 */
public record GatewayConfig(
    String host,
    int port,
    Path dataDir,
    long maxBodyBytes,
    long heartbeatIntervalMs,
    long logCheckpointMs) {
  public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
  public static final long DEFAULT_HEARTBEAT_MS = 5_000;
  public static final long DEFAULT_LOG_CHECKPOINT_MS = 500;

  public GatewayConfig {
    if (logCheckpointMs < 1) {
      throw new IllegalArgumentException("the log checkpoint cadence is at least 1 ms");
    }
  }

  public static GatewayConfig defaults(Path dataDir, int port) {
    return new GatewayConfig(
        "127.0.0.1",
        port,
        dataDir,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_HEARTBEAT_MS,
        DEFAULT_LOG_CHECKPOINT_MS);
  }

  public GatewayConfig withHost(String newHost) {
    return new GatewayConfig(
        newHost, port, dataDir, maxBodyBytes, heartbeatIntervalMs, logCheckpointMs);
  }

  public GatewayConfig withHeartbeatMs(long ms) {
    return new GatewayConfig(host, port, dataDir, maxBodyBytes, ms, logCheckpointMs);
  }

  public GatewayConfig withLogCheckpointMs(long ms) {
    return new GatewayConfig(host, port, dataDir, maxBodyBytes, heartbeatIntervalMs, ms);
  }
}
