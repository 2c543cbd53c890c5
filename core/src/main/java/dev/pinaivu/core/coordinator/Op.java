package dev.pinaivu.core.coordinator;

import java.util.Optional;

/** The operations of the coordinator protocol, by their wire names. */
public enum Op {
  /** The first request on every connection: the parent's nonce, the coordinator's proof. */
  AUTH_BEGIN("auth_begin"),
  /** The second: the parent's proof; only then are the other ops answered. */
  AUTH_FINISH("auth_finish"),
  IDENTITY("identity"),
  DISPATCH("dispatch"),
  SETTLE("settle"),
  LOG_OPEN("log_open"),
  LOG_CHECKPOINT("log_checkpoint"),
  LOG_RELOG("log_relog");

  private final String wire;

  Op(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The operation named {@code wire}; empty for a name this version does not know. */
  public static Optional<Op> of(String wire) {
    for (Op op : values()) {
      if (op.wire.equals(wire)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
