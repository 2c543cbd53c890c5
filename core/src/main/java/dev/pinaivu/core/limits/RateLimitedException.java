package dev.pinaivu.core.limits;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import java.util.Map;

/**
 * 429 {@code rate_limit_exceeded}: the key's requests or tokens per minute are used up. Carries the
 * {@code x-ratelimit-*} headers and {@code Retry-After}, which every entry point sends with the
 * error body.
 */
public final class RateLimitedException extends ApiException {
  private final RateLimitStatus status;
  private final Long retryAfterMs;

  private RateLimitedException(String message, RateLimitStatus status, Long retryAfterMs) {
    super(ErrorKind.RATE_LIMITED, message, null, "rate_limit_exceeded");
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  /** The window is full now; the request fits after {@code retryAfterMs}. */
  public static RateLimitedException windowFull(
      String keyId,
      String dimension,
      long limit,
      long used,
      long requested,
      long retryAfterMs,
      RateLimitStatus status) {
    return new RateLimitedException(
        "Rate limit reached for key "
            + keyId
            + " on "
            + dimension
            + ": Limit "
            + limit
            + ", Used "
            + used
            + ", Requested "
            + requested
            + ". Please try again in "
            + RateLimitHeaders.duration(retryAfterMs)
            + ".",
        status,
        retryAfterMs);
  }

  /**
   * The request alone needs more tokens than the key may use in a minute: waiting cannot help, so
   * there is no {@code Retry-After}.
   */
  public static RateLimitedException tooLarge(
      String keyId, long limit, long requested, RateLimitStatus status) {
    return new RateLimitedException(
        "Request too large for key "
            + keyId
            + " on tokens per min (TPM): Limit "
            + limit
            + ", Requested "
            + requested
            + ". Lower max_tokens or shorten the prompt; waiting will not help.",
        status,
        null);
  }

  public RateLimitStatus status() {
    return status;
  }

  /** How long until the request would fit; null when it never will. */
  public Long retryAfterMs() {
    return retryAfterMs;
  }

  @Override
  public Map<String, String> headers() {
    Map<String, String> headers = RateLimitHeaders.of(status);
    if (retryAfterMs != null) {
      headers.put("retry-after", RateLimitHeaders.retryAfter(retryAfterMs));
    }
    return headers;
  }
}
