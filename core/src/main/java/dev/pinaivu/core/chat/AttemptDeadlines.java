package dev.pinaivu.core.chat;

import java.time.Duration;

/**
 * The deadlines of one attempt on one node (ADR 23), on the {@link System#nanoTime} clock: a reply
 * to the job within the accept timeout; then, for a stream, its first output within the first
 * output timeout of the dispatch, and no silence longer than the idle timeout after it; for a
 * non-streamed job, the whole answer by the request's answer deadline. A node that misses one is
 * abandoned: the relay cancels the job and, while nothing reached the client, tries the next node.
 */
final class AttemptDeadlines {
  private final ChatSettings settings;
  private final boolean stream;
  private final long dispatchedAt;
  private final long replyBy;
  private final long outputBy;
  private boolean replied;
  private boolean started;
  private long lastFrameAt;

  /**
   * @param answerBy when a non-streamed request must have its answer (every attempt included)
   */
  AttemptDeadlines(ChatSettings settings, boolean stream, long answerBy, long dispatchedAt) {
    this.settings = settings;
    this.stream = stream;
    this.dispatchedAt = dispatchedAt;
    this.outputBy = stream ? dispatchedAt + settings.firstOutputTimeout().toNanos() : answerBy;
    this.replyBy = Math.min(dispatchedAt + settings.acceptTimeout().toNanos(), outputBy);
    this.lastFrameAt = dispatchedAt;
  }

  /** A frame of the job arrived: the node replied. */
  void frame(long now) {
    replied = true;
    lastFrameAt = now;
  }

  /** Output reached the client: from now on only silence between frames is bounded. */
  void started() {
    started = true;
  }

  /** Nanoseconds left until the deadline in force; zero or less when it passed. */
  long nanosLeft(long now) {
    return deadline() - now;
  }

  private long deadline() {
    if (started) {
      return lastFrameAt + settings.idleTimeout().toNanos();
    }
    return replied ? outputBy : replyBy;
  }

  /** What the node missed, for the log and the failover reason. */
  String missed() {
    if (started) {
      return "the node sent nothing for " + seconds(settings.idleTimeout());
    }
    if (!replied) {
      return "the node did not reply to the job within "
          + seconds(Duration.ofNanos(replyBy - dispatchedAt));
    }
    return stream
        ? "no first output within " + seconds(settings.firstOutputTimeout())
        : "no answer within the request's " + seconds(settings.answerTimeout());
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
