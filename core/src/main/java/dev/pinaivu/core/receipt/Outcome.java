package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a job ended. Only {@link #COMPLETED} bills the whole usage; the others bill the prompt and
 * the completion tokens actually delivered.
 */
public enum Outcome {
  /** The model finished (stop, length, tool call) and everything was delivered. */
  COMPLETED,
  /** The gateway stopped the job: the client went away or the deadline passed. */
  CANCELLED,
  /** The node or its inference server failed part-way. */
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the wire name; an unknown name is refused, since its billing rule is unknown. */
  @JsonCreator
  public static Outcome parse(String wire) {
    for (Outcome outcome : values()) {
      if (outcome.wire().equals(wire)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException(
        "outcome must be completed, cancelled or failed, got \"" + wire + "\"");
  }
}
