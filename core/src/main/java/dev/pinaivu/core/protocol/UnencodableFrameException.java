package dev.pinaivu.core.protocol;

/**
 * A frame that holds text which is not valid Unicode (a lone surrogate), so it cannot travel as a
 * WebSocket text message. It is refused before it reaches a connection, where one such frame would
 * otherwise fail the send and take the whole link, and every job on it, down.
 */
public final class UnencodableFrameException extends IllegalArgumentException {
  public UnencodableFrameException(String frameType) {
    super("the " + frameType + " frame holds text that is not valid Unicode (a lone surrogate)");
  }
}
