package dev.pinaivu.core.coordinator.client;

import java.io.IOException;

/** The connection to the coordinator ended before the response came; the call may be retried. */
final class ConnectionLostException extends IOException {
  ConnectionLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
