package dev.pinaivu.agent;

import java.io.IOException;

/** Sends encoded frames to the gateway over the current connection. */
interface FrameSender {
  /**
   * Sends one frame as encoded by {@code FrameCodec.encode} (its exact text is what gets hashed).
   */
  void send(String frameText) throws IOException;
}
