package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One job in flight on one node session: frames from the socket, queued for the relay. */
final class PendingJob implements JobStream {
  private final String jobId;
  private final NodeSession session;
  private final LinkedBlockingQueue<Frame.JobFrame> frames = new LinkedBlockingQueue<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  PendingJob(String jobId, NodeSession session) {
    this.jobId = jobId;
    this.session = session;
  }

  String jobId() {
    return jobId;
  }

  void deliver(Frame.JobFrame frame) {
    if (!cancelled.get()) {
      frames.add(frame);
    }
  }

  void nodeLost(String reason) {
    frames.add(new Frame.JobError(jobId, -1, NODE_LOST, reason, true, null));
  }

  @Override
  public Frame.JobFrame next(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void cancel(String reason) {
    if (cancelled.compareAndSet(false, true)) {
      frames.clear();
      session.sendQuietly(new Frame.Cancel(jobId, reason));
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      session.release(this);
    }
  }
}
