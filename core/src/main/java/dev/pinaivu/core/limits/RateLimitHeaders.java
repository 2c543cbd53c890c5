package dev.pinaivu.core.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's rate-limit headers, for every entry point to send the same way: {@code
 * x-ratelimit-limit-requests}, {@code -remaining-requests}, {@code -reset-requests} and the same
 * for tokens, with resets written as OpenAI writes them ({@code 1s}, {@code 6m0s}, {@code 120ms}).
 * Only limited dimensions are sent.
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  public static Map<String, String> of(RateLimitStatus status) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (status == null) {
      return headers;
    }
    if (status.requestLimit() != null) {
      headers.put("x-ratelimit-limit-requests", Integer.toString(status.requestLimit()));
      headers.put("x-ratelimit-remaining-requests", Long.toString(status.remainingRequests()));
      headers.put("x-ratelimit-reset-requests", duration(status.requestsResetMs()));
    }
    if (status.tokenLimit() != null) {
      headers.put("x-ratelimit-limit-tokens", Integer.toString(status.tokenLimit()));
      headers.put("x-ratelimit-remaining-tokens", Long.toString(status.remainingTokens()));
      headers.put("x-ratelimit-reset-tokens", duration(status.tokensResetMs()));
    }
    return headers;
  }

  /** {@code Retry-After}: whole seconds, rounded up, at least 1. */
  public static String retryAfter(long waitMs) {
    return Long.toString(Math.max(1, Math.ceilDiv(waitMs, 1000L)));
  }

  /**
   * A duration the way OpenAI (Go's {@code time.Duration}) prints it, to the millisecond: {@code
   * 0s}, {@code 120ms}, {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h0m0s}.
   */
  public static String duration(long ms) {
    if (ms <= 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    long hours = ms / 3_600_000;
    long minutes = ms / 60_000 % 60;
    long millis = ms % 60_000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(millis / 1000);
    if (millis % 1000 != 0) {
      String fraction = String.format("%03d", millis % 1000).replaceFirst("0+$", "");
      out.append('.').append(fraction);
    }
    return out.append('s').toString();
  }
}
