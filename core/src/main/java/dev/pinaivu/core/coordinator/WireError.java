package dev.pinaivu.core.coordinator;

import java.util.Optional;

/** The {@code code} of a failed response ({@code "ok": false}), by its wire name. */
public enum WireError {
  /** The frame could not be read or is not a request with an id; the connection closes. */
  BAD_FRAME("bad_frame"),
  /** The op is missing or unknown to this coordinator; the connection stays open. */
  UNKNOWN_OP("unknown_op"),
  /** A member is missing or malformed; the caller's mistake, not worth a retry. */
  BAD_REQUEST("bad_request"),
  /** The coordinator cannot serve now (busy, shutting down); a retry may succeed. */
  UNAVAILABLE("unavailable"),
  /**
   * The request was settled with this evidence and its receipt is log entry {@code log_index}
   * ({@link AlreadySettledException}).
   */
  ALREADY_SETTLED("already_settled"),
  /**
   * The connection has not (or not properly) proved it is the parent's (auth_begin, auth_finish);
   * the connection closes.
   */
  UNAUTHENTICATED("unauthenticated"),
  /** A failure inside the coordinator; details stay in its log. */
  INTERNAL("internal");

  private final String wire;

  WireError(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The code named {@code wire}; empty for one this version does not know. */
  public static Optional<WireError> of(String wire) {
    for (WireError code : values()) {
      if (code.wire.equals(wire)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
