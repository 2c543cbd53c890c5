package dev.pinaivu.core.coordinator;

import java.io.IOException;

/**
 * A frame that cannot be read: a length prefix beyond the limit or zero, or a stream that ends
 * inside a frame. The connection cannot be resynchronised after it, so it is closed.
 */
public final class BadFrameException extends IOException {
  public BadFrameException(String message) {
    super(message);
  }
}
