package dev.pinaivu.core.error;

import java.util.Map;

/**
 * A failure the client is told about, with OpenAI's {@code message}, {@code param} and {@code
 * code}. Messages are written for the client and never carry secrets or internals.
 */
public class ApiException extends RuntimeException {
  private final ErrorKind kind;
  private final String param;
  private final String code;
  private final Map<String, String> headers;

  public ApiException(ErrorKind kind, String message, String param, String code) {
    this(kind, message, param, code, Map.of());
  }

  private ApiException(
      ErrorKind kind, String message, String param, String code, Map<String, String> headers) {
    super(message, null, false, false);
    this.kind = kind;
    this.param = param;
    this.code = code;
    this.headers = headers;
  }

  public static ApiException invalid(String param, String message) {
    return new ApiException(ErrorKind.INVALID_REQUEST, message, param, "invalid_value");
  }

  public static ApiException invalidType(String param, String expected) {
    return new ApiException(
        ErrorKind.INVALID_REQUEST,
        "Invalid type for '" + param + "': expected " + expected + ".",
        param,
        "invalid_type");
  }

  public static ApiException missing(String param) {
    return new ApiException(
        ErrorKind.INVALID_REQUEST,
        "Missing required parameter: '" + param + "'.",
        param,
        "missing_required_parameter");
  }

  public static ApiException unauthenticated(String message) {
    return new ApiException(ErrorKind.AUTHENTICATION, message, null, "invalid_api_key");
  }

  public static ApiException notFound(String message) {
    return new ApiException(ErrorKind.NOT_FOUND, message, null, "not_found");
  }

  /** Seconds a client should wait when no node of a known model is live (a node rejoins). */
  public static final int NO_NODE_RETRY_AFTER_SECONDS = 5;

  /** 503 {@code no_node_available}, with {@code Retry-After}: the model is known, no node is up. */
  public static ApiException noCapacity(String model) {
    return new ApiException(
        ErrorKind.NO_CAPACITY,
        "No GPU node is available for model '"
            + model
            + "' right now. Retry after "
            + NO_NODE_RETRY_AFTER_SECONDS
            + " s, or pick a model listed by GET /v1/models.",
        "model",
        "no_node_available",
        Map.of("retry-after", Integer.toString(NO_NODE_RETRY_AFTER_SECONDS)));
  }

  /**
   * 404 {@code model_not_found}, as OpenAI answers a model it does not have: no node has offered
   * {@code model} lately (ADR 29), so retrying will not help; SDKs do not retry a 404.
   */
  public static ApiException modelNotFound(String model) {
    return new ApiException(
        ErrorKind.MODEL_NOT_FOUND,
        "The model '"
            + model
            + "' does not exist: no GPU node has offered it in the last 24 hours. GET /v1/models"
            + " lists the models served now.",
        "model",
        "model_not_found");
  }

  /**
   * 503 {@code capacity_exceeded}: every node serving {@code model} is running as many jobs as it
   * offered, so the request is answered at once with {@code Retry-After} (ADR 19) rather than
   * queued.
   */
  public static ApiException capacityExceeded(String model, int retryAfterSeconds) {
    return new ApiException(
        ErrorKind.NO_CAPACITY,
        "Every GPU node serving model '"
            + model
            + "' is at capacity right now. Please retry after "
            + retryAfterSeconds
            + " s.",
        "model",
        "capacity_exceeded",
        Map.of("retry-after", Integer.toString(retryAfterSeconds)));
  }

  public ErrorKind kind() {
    return kind;
  }

  public String param() {
    return param;
  }

  public String code() {
    return code;
  }

  /** Response headers that go with this error (e.g. {@code Retry-After}); none by default. */
  public Map<String, String> headers() {
    return headers;
  }
}
