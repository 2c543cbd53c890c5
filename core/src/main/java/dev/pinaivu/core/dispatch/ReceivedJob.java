package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.SignedProof;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A dispatched job as its frames arrive, whatever carries them (the node's own socket locally, a
 * relay connection on AWS): queued for the reader, the output digested as received (for the
 * receipt), and, after the job ended, the node's proof. Subclasses say how a cancel reaches the
 * node and what closing releases.
 */
public abstract class ReceivedJob implements JobStream {
  private final String jobId;
  private final LinkedBlockingQueue<Frame.JobFrame> frames = new LinkedBlockingQueue<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile Frame.JobError cancelledFrame;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<SignedProof> proof = new CompletableFuture<>();
  private final ResponseDigest digest = new ResponseDigest();
  private long lastSeq = -1;
  private volatile long closedAtMs;

  protected ReceivedJob(String jobId) {
    this.jobId = jobId;
  }

  public final String jobId() {
    return jobId;
  }

  /** Tells the node to stop the job (a cancel frame); called once, by {@link #cancel}. */
  protected abstract void tellNodeToStop(String reason);

  /** Frees what the job holds on the node (its slot); called once, by {@link #close}. */
  protected abstract void released();

  /** A frame of this job, with its exact text; only the first copy of each seq is digested. */
  public final void deliver(Frame.JobFrame frame, String text) {
    synchronized (digest) {
      if (frame.seq() == lastSeq + 1) {
        lastSeq = frame.seq();
        if (frame instanceof Frame.Chunk || frame instanceof Frame.Result) {
          digest.add(text);
        }
      }
    }
    if (!cancelled.get()) {
      frames.add(frame);
    }
  }

  public final void proofArrived(SignedProof signed) {
    proof.complete(signed);
  }

  /** The node went away: a reader gets a retryable {@value #NODE_LOST} error, and no proof. */
  public final void nodeLost(String reason) {
    frames.add(new Frame.JobError(jobId, -1, NODE_LOST, reason, true, null));
    proof.complete(null);
  }

  /** True when the job was closed more than {@code waitMs} ago and its proof never came. */
  public final boolean proofOverdue(long nowMs, long waitMs) {
    return closed.get() && !proof.isDone() && nowMs - closedAtMs > waitMs;
  }

  public final void giveUpOnProof() {
    proof.complete(null);
  }

  @Override
  public Frame.JobFrame next(Duration timeout) throws InterruptedException {
    Frame.JobError stopped = cancelledFrame;
    if (stopped != null) {
      return stopped;
    }
    return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public final void cancel(String reason) {
    if (cancelled.compareAndSet(false, true)) {
      cancelledFrame = new Frame.JobError(jobId, -1, CANCELLED, reason, false, null);
      frames.clear();
      // wakes a reader waiting in next(): whoever cancelled from another thread wants it to stop
      frames.add(cancelledFrame);
      tellNodeToStop(reason);
    }
  }

  @Override
  public final CompletableFuture<SignedProof> proof() {
    return proof;
  }

  @Override
  public final String receivedResponseSha256() {
    synchronized (digest) {
      return digest.hex();
    }
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      closedAtMs = System.currentTimeMillis();
      released();
    }
  }
}
