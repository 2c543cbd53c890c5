package dev.pinaivu.core.chat;

import java.time.Duration;

/**
 * Timing and failover limits of the chat use case (ADR 23). Nodes are strangers: each deadline is
 * the longest the gateway waits on one of them before it gives the request to the next.
 *
 * @param firstOutputTimeout how long a node may take, from the dispatch, before the first output of
 *     a stream reaches the client; past it the job is cancelled at the node, not billed, and the
 *     next node is tried, silently since the client has seen nothing
 * @param idleTimeout the longest silence allowed between two frames once output has started
 * @param maxAttempts how many nodes to try before giving up
 * @param maxJobDuration hard deadline given to the node with every streamed job
 * @param defaultMaxTokens the completion tokens per choice a job may generate (and bill) when the
 *     client sets no {@code max_tokens}
 * @param acceptTimeout how long a node may take to reply to a job ({@code job_accept}, {@code
 *     job_refuse} or any frame of the job); no reply counts as a refusal
 * @param answerTimeout the total time a non-streamed request may take, every attempt included (the
 *     OpenAI SDKs wait 10 minutes by default); its answer has no first output before the end
 * @param keepAliveInterval how long the client may hear nothing before the gateway sends it
 *     something that is no output (an SSE comment, or whitespace before a JSON body) so that the
 *     connection and any proxy on the way stay open
 */
public record ChatSettings(
    Duration firstOutputTimeout,
    Duration idleTimeout,
    int maxAttempts,
    Duration maxJobDuration,
    int defaultMaxTokens,
    Duration acceptTimeout,
    Duration answerTimeout,
    Duration keepAliveInterval) {
  /** The same default as the rate limiter's reservation (ADR 9): a common server default. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Time to first token on a healthy node is seconds; prefill of a long prompt, tens of them. */
  public static final Duration DEFAULT_FIRST_OUTPUT_TIMEOUT = Duration.ofSeconds(30);

  /** Checking a token and a slot takes milliseconds; this leaves room for a slow link. */
  public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(5);

  /** What the OpenAI SDKs wait for a response by default. */
  public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofMinutes(10);

  /** Well inside the gateway's own idle timeout (30 s) and common proxies' (60 s). */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

  public static final ChatSettings DEFAULT =
      new ChatSettings(
          DEFAULT_FIRST_OUTPUT_TIMEOUT,
          Duration.ofSeconds(120),
          3,
          Duration.ofMinutes(15),
          DEFAULT_MAX_TOKENS,
          DEFAULT_ACCEPT_TIMEOUT,
          DEFAULT_ANSWER_TIMEOUT,
          DEFAULT_KEEP_ALIVE);

  public ChatSettings {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("the default max_tokens is at least 1");
    }
    for (Duration d :
        new Duration[] {
          firstOutputTimeout,
          idleTimeout,
          maxJobDuration,
          acceptTimeout,
          answerTimeout,
          keepAliveInterval
        }) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("every chat deadline is positive");
      }
    }
  }

  /**
   * The first five limits; a node must reply within the first output timeout (at most the default
   * accept timeout), a non-streamed answer may take as long as the job, and keep-alives come at the
   * default interval.
   */
  public ChatSettings(
      Duration firstOutputTimeout,
      Duration idleTimeout,
      int maxAttempts,
      Duration maxJobDuration,
      int defaultMaxTokens) {
    this(
        firstOutputTimeout,
        idleTimeout,
        maxAttempts,
        maxJobDuration,
        defaultMaxTokens,
        firstOutputTimeout.compareTo(DEFAULT_ACCEPT_TIMEOUT) < 0
            ? firstOutputTimeout
            : DEFAULT_ACCEPT_TIMEOUT,
        maxJobDuration,
        DEFAULT_KEEP_ALIVE);
  }

  public ChatSettings withFirstOutputTimeout(Duration timeout) {
    return new ChatSettings(
        timeout,
        idleTimeout,
        maxAttempts,
        maxJobDuration,
        defaultMaxTokens,
        acceptTimeout,
        answerTimeout,
        keepAliveInterval);
  }

  public ChatSettings withAcceptTimeout(Duration timeout) {
    return new ChatSettings(
        firstOutputTimeout,
        idleTimeout,
        maxAttempts,
        maxJobDuration,
        defaultMaxTokens,
        timeout,
        answerTimeout,
        keepAliveInterval);
  }

  public ChatSettings withAnswerTimeout(Duration timeout) {
    return new ChatSettings(
        firstOutputTimeout,
        idleTimeout,
        maxAttempts,
        maxJobDuration,
        defaultMaxTokens,
        acceptTimeout,
        timeout,
        keepAliveInterval);
  }

  public ChatSettings withKeepAliveInterval(Duration interval) {
    return new ChatSettings(
        firstOutputTimeout,
        idleTimeout,
        maxAttempts,
        maxJobDuration,
        defaultMaxTokens,
        acceptTimeout,
        answerTimeout,
        interval);
  }
}
