package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.protocol.Frame;
import java.time.Duration;

/**
 * The frames of one dispatched job, in arrival order. When the node goes away the stream yields a
 * retryable {@link Frame.JobError} with code {@value #NODE_LOST} and sequence number -1.
 */
public interface JobStream extends AutoCloseable {
  String NODE_LOST = "node_lost";

  /** The next frame, or null when none arrived within {@code timeout}. */
  Frame.JobFrame next(Duration timeout) throws InterruptedException;

  /** Tells the node to stop; frames that still arrive are dropped. */
  void cancel(String reason);

  /** Releases the job's slot on the node; the job must be finished or cancelled. */
  @Override
  void close();
}
