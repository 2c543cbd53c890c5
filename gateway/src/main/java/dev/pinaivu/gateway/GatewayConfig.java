package dev.pinaivu.gateway;

import dev.pinaivu.core.coordinator.CoordinatorOptions;
import dev.pinaivu.core.reputation.NodePolicy;
import dev.pinaivu.core.routing.PriceCeilings;
import dev.pinaivu.core.translog.NoteText;
import dev.pinaivu.gateway.connections.ClientLimits;
import dev.pinaivu.gateway.http.CorsOrigins;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How the local gateway runs.
 *
 * @param host interface to bind; loopback unless the operator means otherwise
 * @param port 0 picks a free port
 * @param dataDir where the database and the development key live
 * @param logCheckpointMs how often the gateway asks the coordinator for a log checkpoint, when the
 *     log grew
 * @param logOrigin the transparency log's name; the coordinator must sign under the same
 * @param priceCeilings the most a node may charge per model; dearer offers are not routed to
 * @param clientLimits connections per client address and in all, and how long a request may take to
 *     arrive
 * @param nodePolicy which nodes may join, and how they are treated by what they did (ADR 22)
 * @param cors which web origins may call the public API from a browser (ADR 29)
 */
public record GatewayConfig(
    String host,
    int port,
    Path dataDir,
    long maxBodyBytes,
    long heartbeatIntervalMs,
    long logCheckpointMs,
    String logOrigin,
    PriceCeilings priceCeilings,
    ClientLimits clientLimits,
    NodePolicy nodePolicy,
    CorsOrigins cors) {
  public static final long DEFAULT_MAX_BODY_BYTES = 8L * 1024 * 1024;
  public static final long DEFAULT_HEARTBEAT_MS = 5_000;
  public static final long DEFAULT_LOG_CHECKPOINT_MS = 500;

  public GatewayConfig {
    if (logCheckpointMs < 1) {
      throw new IllegalArgumentException("the log checkpoint cadence is at least 1 ms");
    }
    NoteText.requireKeyName(logOrigin);
    Objects.requireNonNull(priceCeilings, "priceCeilings");
    Objects.requireNonNull(clientLimits, "clientLimits");
    Objects.requireNonNull(nodePolicy, "nodePolicy");
    Objects.requireNonNull(cors, "cors");
  }

  public static GatewayConfig defaults(Path dataDir, int port) {
    return new GatewayConfig(
        "127.0.0.1",
        port,
        dataDir,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_HEARTBEAT_MS,
        DEFAULT_LOG_CHECKPOINT_MS,
        CoordinatorOptions.DEFAULT_LOG_ORIGIN,
        PriceCeilings.DEFAULTS,
        ClientLimits.DEFAULTS,
        NodePolicy.DEFAULTS,
        CorsOrigins.ANY);
  }

  public GatewayConfig withHost(String newHost) {
    return new GatewayConfig(
        newHost,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        logOrigin,
        priceCeilings,
        clientLimits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withHeartbeatMs(long ms) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        ms,
        logCheckpointMs,
        logOrigin,
        priceCeilings,
        clientLimits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withLogCheckpointMs(long ms) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        ms,
        logOrigin,
        priceCeilings,
        clientLimits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withLogOrigin(String origin) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        origin,
        priceCeilings,
        clientLimits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withPriceCeilings(PriceCeilings ceilings) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        logOrigin,
        ceilings,
        clientLimits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withClientLimits(ClientLimits limits) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        logOrigin,
        priceCeilings,
        limits,
        nodePolicy,
        cors);
  }

  public GatewayConfig withNodePolicy(NodePolicy policy) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        logOrigin,
        priceCeilings,
        clientLimits,
        policy,
        cors);
  }

  public GatewayConfig withCors(CorsOrigins allowed) {
    return new GatewayConfig(
        host,
        port,
        dataDir,
        maxBodyBytes,
        heartbeatIntervalMs,
        logCheckpointMs,
        logOrigin,
        priceCeilings,
        clientLimits,
        nodePolicy,
        allowed);
  }
}
