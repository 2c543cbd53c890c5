package dev.pinaivu.gateway.nodes;

import java.io.IOException;

/** The sending half of a node's connection (a WebSocket here), kept apart for testing. */
interface Outbound {
  /** Sends one text frame and returns once it has been handed to the network. */
  void send(String text) throws IOException;

  /** Closes the connection with a WebSocket close code and a short reason. */
  void close(int code, String reason);
}
