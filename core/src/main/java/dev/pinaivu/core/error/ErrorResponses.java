package dev.pinaivu.core.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;

/**
 * The one mapping of an {@link ApiException} to what a client receives, used by every entry point
 * (the local gateway's routes and the Lambda handlers): its HTTP status and the OpenAI error body
 * {@code {"error": {"message", "type", "param", "code"}}}.
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** The HTTP status of {@code kind}. */
  public static int status(ErrorKind kind) {
    return switch (kind) {
      case INVALID_REQUEST -> 400;
      case AUTHENTICATION -> 401;
      case PERMISSION -> 403;
      case NOT_FOUND, MODEL_NOT_FOUND -> 404;
      case REQUEST_TIMEOUT -> 408;
      case BODY_TOO_LARGE -> 413;
      case UNSUPPORTED_ENCODING -> 415;
      case UNPARSEABLE_BODY -> 422;
      case RATE_LIMITED, INSUFFICIENT_QUOTA -> 429;
      case INTERNAL -> 500;
      case UPSTREAM -> 502;
      case NO_CAPACITY -> 503;
    };
  }

  /** The OpenAI error body of {@code e}. */
  public static ObjectNode body(ApiException e) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", e.getMessage());
    error.put("type", e.kind().type());
    error.put("param", e.param());
    error.put("code", e.code());
    return root;
  }

  /** What a client is told of a failure it cannot act on: a 500 that says nothing inside. */
  public static ApiException internal() {
    return new ApiException(
        ErrorKind.INTERNAL,
        "The server had an error while processing your request.",
        null,
        "internal_error");
  }
}
