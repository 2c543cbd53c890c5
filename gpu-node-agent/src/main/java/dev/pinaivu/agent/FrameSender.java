package dev.pinaivu.agent;

import java.io.IOException;

/** Sends encoded frames to the gateway over the current connection. */
interface FrameSender {
  /**
   * Sends one frame as encoded by {@code FrameCodec.encode} (its exact text is what gets hashed).
   */
  void send(String frameText) throws IOException;

  /**
   * As {@link #send}, and what waits with it goes now, not after the connection's linger: for the
   * frames a client or the gateway waits on (a job's accept, its first output, its end, its proof).
   */
  default void sendNow(String frameText) throws IOException {
    send(frameText);
  }
}
