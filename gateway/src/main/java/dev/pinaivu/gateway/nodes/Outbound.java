package dev.pinaivu.gateway.nodes;

import java.io.IOException;

/** The sending half of a node's connection (a WebSocket here), kept apart for testing. */
interface Outbound {
  /** Sends one text frame and returns once it has been handed to the network. */
  void send(String text) throws IOException;

  /** Closes the connection with a WebSocket close code and a short reason. */
  void close(int code, String reason);

  /**
   * The source address the per-address limit counts the node under: the peer's IPv4 address, or the
   * /64 prefix of its IPv6 address; {@code unknown} when there is none.
   */
  default String address() {
    return "unknown";
  }
}
