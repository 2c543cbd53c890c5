package dev.pinaivu.testkit;

/** How the fake server finished with one request. */
public enum RequestOutcome {
  /** The whole response was written (for a stream: up to {@code [DONE]}). */
  COMPLETED,
  /** An error status with an OpenAI error body was sent (validation, auth or a {@link Fault}). */
  ERROR_STATUS,
  /** The server closed the connection on purpose mid-response ({@link Fault.Drop}). */
  DROPPED,
  /**
   * The client closed the connection before the response was written. Seen when a write fails, so
   * it is reliable for a stream that still has events to send, not for a non-streaming answer.
   */
  CLIENT_DISCONNECTED,
  /** The server was closed while the request was in flight (e.g. a {@link Fault.Hang}). */
  SERVER_CLOSED;

  boolean endsResponse() {
    return this == COMPLETED || this == ERROR_STATUS;
  }
}
