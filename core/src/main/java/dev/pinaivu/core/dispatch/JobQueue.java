package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.node.NodeId;
import java.time.Duration;
import java.util.List;

/**
 * Port: jobs waiting for the node that routing chose, for node agents that poll for work instead of
 * holding a connection open (ADR 35). A job is for one node; a node takes its jobs, and a job it
 * took but did not finish ({@link #done}) comes back after its lease, until the job expires: the
 * dispatch token a job carries expires with it, so an expired job is never delivered. Every adapter
 * passes {@code JobQueueContract}.
 */
public interface JobQueue {
  /**
   * Queues {@code job} for {@code node}. Putting a job id already queued for the node changes
   * nothing (a retried put is not a second job).
   */
  void put(NodeId node, QueuedJob job);

  /**
   * Up to {@code max} (1 to 10) of {@code node}'s jobs, in no promised order, waiting up to {@code
   * wait} for the first when there is none. Each is hidden from other takes for {@code lease}; a
   * lease that ends before {@link #done} makes the job deliverable again.
   */
  List<JobLease> take(NodeId node, int max, Duration wait, Duration lease);

  /** The leased job is finished with and never delivered again; calling it twice is harmless. */
  void done(JobLease lease);

  /** Refuses a batch size outside what SQS allows in one receive. */
  static int requireBatch(int max) {
    if (max < 1 || max > 10) {
      throw new IllegalArgumentException("take 1 to 10 jobs at a time, not " + max);
    }
    return max;
  }
}
