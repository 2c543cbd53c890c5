package dev.pinaivu.core.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The public id of one API request: {@code req_} followed by a 26-character lower-case ULID. It is
 * also the job id on the node protocol and the key of the receipt.
 */
public record RequestId(@JsonValue String value) {
  public static final String PREFIX = "req_";

  public RequestId {
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a request id: " + value);
    }
  }

  @JsonCreator
  public static RequestId parse(String value) {
    return new RequestId(value);
  }

  public static RequestId next() {
    return new RequestId(PREFIX + Ulid.next());
  }

  public static boolean isValid(String value) {
    return value != null
        && value.length() == PREFIX.length() + 26
        && value.startsWith(PREFIX)
        && Ulid.isValid(value.substring(PREFIX.length()));
  }

  /** The OpenAI-style completion id that goes with this request: {@code chatcmpl-<ulid>}. */
  public String completionId() {
    return "chatcmpl-" + value.substring(PREFIX.length());
  }

  @Override
  public String toString() {
    return value;
  }
}
