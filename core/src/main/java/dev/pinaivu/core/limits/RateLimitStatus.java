package dev.pinaivu.core.limits;

/**
 * A key's rate-limit standing at one moment, as the {@code x-ratelimit-*} headers tell it. A null
 * limit means that dimension is unlimited (and its other fields mean nothing).
 *
 * @param requestsResetMs until the key's request window is empty again (back to the full limit)
 * @param tokensResetMs until the key's token window is empty again
 */
public record RateLimitStatus(
    Integer requestLimit,
    long remainingRequests,
    long requestsResetMs,
    Integer tokenLimit,
    long remainingTokens,
    long tokensResetMs) {}
