package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.dispatch.JobQueue;
import dev.pinaivu.core.dispatch.JobQueueUnavailableException;
import dev.pinaivu.core.dispatch.QueuedJob;
import dev.pinaivu.core.id.Ulid;
import dev.pinaivu.core.node.NodeId;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Frames to polling nodes (ADR 39) through their job queue ({@link JobQueue}, one SQS queue per
 * node), and to every other connection through {@code sockets} (the WebSocket API's). A polling
 * node's "connection" is its session, {@code poll.<node id>.<session>}: the dispatcher, the relays
 * and the protocol send to it as to a WebSocket connection, and the node takes what was queued with
 * its next poll ({@link NodePollHandler}). Its queue is the node's, not the session's, so a node
 * that restarts takes what was sent to its last session too, and ignores frames of jobs it does not
 * hold, as on a WebSocket.
 */
public final class QueuedNodeLinks implements NodeLinks {
  static final String PREFIX = "poll.";

  /**
   * How long a queued frame is worth taking: longer than a job waits for its accept (ADR 23), far
   * shorter than SQS's five-minute deduplication window.
   */
  static final long FRAME_TTL_MS = 60_000;

  private final NodeLinks sockets;
  private final JobQueue queue;
  private final InstantSource clock;

  public QueuedNodeLinks(NodeLinks sockets, JobQueue queue, InstantSource clock) {
    this.sockets = sockets;
    this.queue = queue;
    this.clock = clock;
  }

  /** The connection id of {@code node}'s polling {@code session}. */
  static String sessionConnection(NodeId node, String session) {
    return PREFIX + node.value() + "." + session;
  }

  /** The node whose polling session {@code connectionId} is; empty for any other connection. */
  static Optional<NodeId> polling(String connectionId) {
    if (!connectionId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int dot = connectionId.indexOf('.', PREFIX.length());
    try {
      return Optional.of(NodeId.parse(connectionId.substring(PREFIX.length(), dot)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean sendText(String connectionId, String text) {
    Optional<NodeId> node = polling(connectionId);
    if (node.isEmpty()) {
      return sockets.sendText(connectionId, text);
    }
    try {
      queue.put(node.get(), new QueuedJob(Ulid.next(), text, clock.millis() + FRAME_TTL_MS));
      return true;
    } catch (JobQueueUnavailableException e) {
      return false; // as a connection that is gone: the dispatcher fails over
    }
  }

  /** A polling session has nothing to close: it ends when its node stops polling. */
  @Override
  public void close(String connectionId) {
    if (polling(connectionId).isEmpty()) {
      sockets.close(connectionId);
    }
  }
}
