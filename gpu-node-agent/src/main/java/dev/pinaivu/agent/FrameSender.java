package dev.pinaivu.agent;

import dev.pinaivu.core.protocol.Frame;
import java.io.IOException;

/** Sends frames to the gateway over the current connection. */
interface FrameSender {
  void send(Frame frame) throws IOException;
}
