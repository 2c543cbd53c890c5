package dev.pinaivu.functions.dispatch;

import dev.pinaivu.core.dispatch.Job;
import dev.pinaivu.core.dispatch.JobDispatcher;
import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.dispatch.NodeUnavailableException;
import dev.pinaivu.core.node.NodeEntry;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.node.RegisteredNode;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;
import dev.pinaivu.core.protocol.JobParts;
import dev.pinaivu.core.reputation.Standing;
import dev.pinaivu.core.routing.RegistryDirectory;
import dev.pinaivu.functions.nodes.NodeLinks;
import dev.pinaivu.functions.store.DynamoDbJobRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Dispatch from a Lambda invocation to a node on the WebSocket API (ADR 27): check the node's
 * standing again (quarantine; on probation, its capped capacity, ADR 22), reserve one of the node's
 * slots (a conditional update on its registry item, ADR 21), route the job (its node, its node
 * connection, this environment's relay connection) and the node's connection (its running jobs, for
 * {@code $disconnect}), then post the job frame to the node, as {@code job_part} frames when it is
 * larger than one message of the API (ADR 27). Every refusal on the way is a {@link
 * NodeUnavailableException}, so the use case fails over to the next node before any byte reached
 * the client.
 */
public final class RelayDispatcher implements JobDispatcher {
  /** API Gateway's WebSocket message limit; larger job frames go as {@code job_part} frames. */
  static final int MAX_MESSAGE_BYTES = 128 * 1024;

  /**
   * A node is live while heard from within three of its heartbeat intervals (the gateway's default
   * of 5 s), as the process holding its connection counts: routing skips a quieter node, and a job
   * streaming from one is lost (a polling node has no {@code $disconnect} to say it died).
   */
  public static final long NODE_SILENCE_MS = 3 * 5_000;

  static final String CONNECTION_PREFIX = "ws/";

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
    List<String> messages = messages(jobId, FrameCodec.encode(job.frame()));
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
      for (String message : messages) {
        if (!parts.links().sendText(connection, message)) {
          relayed.close();
          throw new NodeUnavailableException("node " + node + " disconnected");
        }
      }
    } catch (IOException | RuntimeException e) {
      parts.registry().release(node, jobId);
      throw new NodeUnavailableException("cannot reach node " + node + ": " + e.getMessage());
    }
    return relayed;
  }

  /**
   * The messages that carry a job frame to its node: the frame itself when it fits one, else its
   * {@code job_part} frames in order (ADR 27); each fits one message either way.
   *
   * @throws NodeUnavailableException when the frame is larger than a node reassembles ({@link
   *     JobParts#MAX_JOB_BYTES}): no node could take it
   */
  static List<String> messages(String jobId, String frame) throws NodeUnavailableException {
    int bytes = frame.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= MAX_MESSAGE_BYTES) {
      return List.of(frame);
    }
    if (bytes > JobParts.MAX_JOB_BYTES) {
      throw new NodeUnavailableException(
          "the job frame exceeds the " + JobParts.MAX_JOB_BYTES + " bytes a node reassembles");
    }
    List<Frame.JobPart> pieces = JobParts.split(jobId, frame, JobParts.MAX_PART_BYTES);
    if (pieces.size() > JobParts.MAX_PARTS) {
      throw new NodeUnavailableException(
          "the job frame needs more than the " + JobParts.MAX_PARTS + " parts a node takes");
    }
    return pieces.stream().map(FrameCodec::encode).toList();
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
