package dev.pinaivu.core.error;

/**
 * Every outcome a client can be told about. Each entry points mapper maps these once to a status
 * and the OpenAI error body; the {@code type} strings are OpenAI's.
 */
public enum ErrorKind {
  INVALID_REQUEST("invalid_request_error"),
  UNPARSEABLE_BODY("invalid_request_error"),
  BODY_TOO_LARGE("invalid_request_error"),
  /** A request body in a content coding the API does not decode (gzip and deflate it does). */
  UNSUPPORTED_ENCODING("invalid_request_error"),
  /** The request did not arrive in time (its body stopped coming, or came too slowly). */
  REQUEST_TIMEOUT("invalid_request_error"),
  AUTHENTICATION("authentication_error"),
  PERMISSION("permission_error"),
  NOT_FOUND("not_found_error"),
  /** A model no node has offered: 404 with OpenAI's own type for it (ADR 29). */
  MODEL_NOT_FOUND("invalid_request_error"),
  RATE_LIMITED("rate_limit_error"),
  INSUFFICIENT_QUOTA("insufficient_quota"),
  NO_CAPACITY("service_unavailable_error"),
  UPSTREAM("upstream_error"),
  INTERNAL("server_error");

  private final String type;

  ErrorKind(String type) {
    this.type = type;
  }

  /** The OpenAI {@code error.type} string. */
  public String type() {
    return type;
  }
}
