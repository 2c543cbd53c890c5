package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.protocol.Frame;

/**
 * Frames to a node over its WebSocket API connection, from an invocation that does not hold the
 * connection (API Gateway does): {@code PostToConnection} and {@code DeleteConnection} on AWS
 * ({@link ManagementApiLinks}).
 */
public interface NodeLinks {
  /**
   * Sends {@code frame} to the node on {@code connectionId}.
   *
   * @return false when the connection is gone
   */
  boolean send(String connectionId, Frame frame);

  /** Closes the connection; a connection already gone is not an error. */
  void close(String connectionId);
}
