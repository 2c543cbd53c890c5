package dev.pinaivu.core.chat;

import java.time.Duration;

/**
 * Timing and failover limits of the chat use case.
 *
 * @param firstOutputTimeout how long a node may take to produce its first token (prefill of long
 *     prompts on busy GPUs can take minutes)
 * @param idleTimeout the longest silence allowed between two frames once output has started
 * @param maxAttempts how many nodes to try before giving up
 * @param maxJobDuration hard deadline given to the node with every job
 * @param defaultMaxTokens the completion tokens per choice a job may generate (and bill) when the
 *     client sets no {@code max_tokens}
 */
public record ChatSettings(
    Duration firstOutputTimeout,
    Duration idleTimeout,
    int maxAttempts,
    Duration maxJobDuration,
    int defaultMaxTokens) {
  /** The same default as the rate limiter's reservation (ADR 9): a common server default. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  public static final ChatSettings DEFAULT =
      new ChatSettings(
          Duration.ofSeconds(120),
          Duration.ofSeconds(120),
          3,
          Duration.ofMinutes(15),
          DEFAULT_MAX_TOKENS);

  public ChatSettings {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("the default max_tokens is at least 1");
    }
  }
}
