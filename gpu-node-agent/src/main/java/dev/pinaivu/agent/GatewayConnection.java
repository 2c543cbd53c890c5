package dev.pinaivu.agent;

import dev.pinaivu.core.protocol.Frame;
import java.io.IOException;

/**
 * One connection to the gateway, as the agent uses it. Everything it receives is told to its {@link
 * Events} together with the connection itself, so that an answer (auth, offer, a job's frames,
 * heartbeats) goes out on the connection that asked for it and never on a later one.
 */
interface GatewayConnection extends FrameSender {
  /** Queues a frame and returns without waiting on the network (for the timer's heartbeats). */
  void post(Frame frame) throws IOException;

  /** Closes the connection; its {@link Events#onClosed} follows once. */
  void close(String reason);

  /** What happens on a connection. Frames arrive one at a time, in order, on one thread. */
  interface Events {
    void onFrame(GatewayConnection from, Frame frame);

    /** The connection is open: frames may be sent on it (told before any frame arrives). */
    default void onOpened(GatewayConnection from) {}

    /** Told once, whatever ended it: refused, closed by either side, failed, never opened. */
    void onClosed(GatewayConnection from, String reason);
  }

  /**
   * Opens a connection and returns at once; its frames and its end go to {@code events}, possibly
   * even before this returns. The JDK WebSocket client ({@link GatewayLink}), or a fake in tests.
   */
  @FunctionalInterface
  interface Opener {
    GatewayConnection open(Events events);
  }
}
