package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.protocol.FrameCodec;

/**
 * Frames to a node (or a relay) over its WebSocket API connection, from an invocation that does not
 * hold the connection (API Gateway does): {@code PostToConnection} and {@code DeleteConnection} on
 * AWS ({@link ManagementApiLinks}).
 */
public interface NodeLinks {
  /**
   * Sends {@code frame} to the node on {@code connectionId}.
   *
   * @return false when the connection is gone
   */
  default boolean send(String connectionId, Frame frame) {
    return sendText(connectionId, FrameCodec.encode(frame));
  }

  /**
   * Sends one message of {@code text} as it is (frames already encoded, a node's lines relayed
   * verbatim).
   *
   * @return false when the connection is gone
   */
  boolean sendText(String connectionId, String text);

  /** Closes the connection; a connection already gone is not an error. */
  void close(String connectionId);
}
