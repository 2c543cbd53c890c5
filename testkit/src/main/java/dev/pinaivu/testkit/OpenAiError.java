package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An outcome answered with an HTTP error status and an OpenAI error body. */
final class OpenAiError extends RuntimeException {

  final int status;
  private final String type;
  private final String param;
  private final String code;

  OpenAiError(int status, String message, String type, String param, String code) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static OpenAiError badRequest(String message, String param) {
    return new OpenAiError(400, message, "invalid_request_error", param, null);
  }

  static OpenAiError from(Fault.Status fault) {
    String type =
        switch (fault.status()) {
          case 429 -> "rate_limit_exceeded";
          case 401 -> "authentication_error";
          default -> fault.status() >= 500 ? "server_error" : "invalid_request_error";
        };
    return new OpenAiError(fault.status(), fault.message(), type, null, null);
  }

  static OpenAiError internal() {
    return new OpenAiError(
        500, "The fake server failed unexpectedly.", "server_error", null, "internal_error");
  }

  /** {@code {"error":{"message","type","param","code"}}} */
  byte[] body() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.putObject("error")
        .put("message", getMessage())
        .put("type", type)
        .put("param", param)
        .put("code", code);
    return Json.bytes(root);
  }
}
