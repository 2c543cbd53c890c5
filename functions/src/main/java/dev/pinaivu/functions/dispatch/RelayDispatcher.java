package dev.pinaivu.functions.dispatch;

import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.functions.nodes.NodeLinks;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Dispatch from a Lambda invocation to a node on the WebSocket API (ADR 27): check the node's
 * standing again (quarantine; on probation, its capped capacity, ADR 22), reserve one of the node's
 * slots (a conditional update on its registry item, ADR 21), route the job (its node, its node
 * connection, this environment's relay connection) and the node's connection (its running jobs, for
 * {@code $disconnect}), then post the job frame to the node. Every refusal on the way is a {@link
 * NodeUnavailableException}, so the use case fails over to the next node before any byte reached
 * the client.
 */
public final class RelayDispatcher implements JobDispatcher {
  /** API Gateway's WebSocket message limit; larger job frames are not sent (ADR 27: not built). */
  static final int MAX_MESSAGE_BYTES = 128 * 1024;

  private static final String CONNECTION_PREFIX = "ws/";

  private final RelayJob.Parts parts;
  private final DynamoDbJobRoutes routes;
  private final RegistryDirectory standings;

  /**
   * @param standings the nodes' standings (quarantine, probation's capacity cap, ADR 22), checked
   *     again at dispatch
   */
  public RelayDispatcher(
      RelayConnection relay,
      NodeLinks links,
      NodeRegistry registry,
      dev.pinaivu.functions.store.DynamoDbNodeConnections connections,
      DynamoDbJobRoutes routes,
      RegistryDirectory standings,
      java.time.InstantSource clock) {
    this.parts = new RelayJob.Parts(relay, links, registry, connections, clock);
    this.routes = routes;
    this.standings = standings;
  }

  @Override
  public JobStream dispatch(NodeId node, Job job) throws NodeUnavailableException {
    long now = parts.clock().millis();
    String jobId = job.requestId().value();
    String frame = FrameCodec.encode(job.frame());
    if (frame.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      throw new NodeUnavailableException(
          "the job frame exceeds the WebSocket API's message limit of " + MAX_MESSAGE_BYTES);
    }
    RegisteredNode registered;
    Standing standing;
    try {
      registered =
          parts
              .registry()
              .find(node, now)
              .orElseThrow(() -> new NodeUnavailableException("node " + node + " is not live"));
      standing = standings.standing(registered, now);
    } catch (RuntimeException e) {
      throw new NodeUnavailableException("the node registry did not answer: " + e.getMessage());
    }
    if (!standing.routable()) {
      throw new NodeUnavailableException("node " + node + " is quarantined");
    }
    NodeEntry entry = registered.entry();
    if (!entry.connection().startsWith(CONNECTION_PREFIX)) {
      throw new NodeUnavailableException("node " + node + " is not on the WebSocket API");
    }
    String connection = entry.connection().substring(CONNECTION_PREFIX.length());
    reserve(entry, Math.min(entry.offer().capacity(), standing.capacityCap()), jobId, now);
    RelayJob relayed;
    try {
      String relay = parts.relay().open();
      routes.put(new DynamoDbJobRoutes.Route(jobId, node, connection, relay), now);
      relayed = new RelayJob(jobId, node, entry.publicKey(), connection, parts);
      parts.relay().register(relayed);
      if (!parts.connections().addJob(connection, jobId)) {
        relayed.close();
        throw new NodeUnavailableException("node " + node + " disconnected");
      }
      if (!parts.links().sendText(connection, frame)) {
        relayed.close();
        throw new NodeUnavailableException("node " + node + " disconnected");
      }
    } catch (IOException | RuntimeException e) {
      parts.registry().release(node, jobId);
      throw new NodeUnavailableException("cannot reach node " + node + ": " + e.getMessage());
    }
    return relayed;
  }

  private void reserve(NodeEntry entry, int capacity, String jobId, long now)
      throws NodeUnavailableException {
    NodeRegistry.Reservation reserved;
    try {
      reserved =
          parts
              .registry()
              .reserve(
                  entry.nodeId(),
                  entry.connection(),
                  jobId,
                  capacity,
                  now + NodeRegistry.SLOT_LEASE_MS,
                  now);
    } catch (RuntimeException e) {
      throw new NodeUnavailableException("the node registry did not answer: " + e.getMessage());
    }
    switch (reserved) {
      case RESERVED -> {}
      case AT_CAPACITY -> throw new NodeUnavailableException("node is at capacity");
      case NOT_HELD ->
          throw new NodeUnavailableException("node is not on that connection any more");
    }
  }
}
