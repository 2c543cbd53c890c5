package dev.pinaivu.core.dispatch;

import java.util.Objects;

/**
 * A job as it waits in a {@link JobQueue}: its id (the request id), the job frame as the node
 * receives it, and when it expires (its dispatch token's expiry: a node may not start it after).
 */
public record QueuedJob(String jobId, String frame, long expiresAtMs) {
  /** What one SQS message may carry, and so the most any adapter accepts. */
  public static final int MAX_FRAME_BYTES = 256 * 1024 - 1024;

  public QueuedJob {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(frame, "frame");
    if (!jobId.matches("[A-Za-z0-9_-]{1,128}")) {
      throw new IllegalArgumentException("a job id is 1 to 128 of [A-Za-z0-9_-]: " + jobId);
    }
    if (frame.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("a queued job's frame is at most " + MAX_FRAME_BYTES);
    }
  }

  boolean expiredAt(long nowMs) {
    return nowMs >= expiresAtMs;
  }
}
