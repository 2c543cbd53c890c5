package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.dispatch.JobStream;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.ResponseDigest;
import dev.pinaivu.core.receipt.SignedProof;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One job on one node session: frames from the socket, queued for the relay; the digest of the
 * output frames as received (for the receipt); and, after the job ended, the node's proof. The
 * session keeps the job until the proof arrives or times out, even after the relay closed it.
 */
final class PendingJob implements JobStream {
  private final String jobId;
  private final NodeSession session;
  private final LinkedBlockingQueue<Frame.JobFrame> frames = new LinkedBlockingQueue<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile Frame.JobError cancelledFrame;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<SignedProof> proof = new CompletableFuture<>();
  private final ResponseDigest digest = new ResponseDigest();
  private long lastSeq = -1;
  private volatile long closedAtMs;

  PendingJob(String jobId, NodeSession session) {
    this.jobId = jobId;
    this.session = session;
  }

  String jobId() {
    return jobId;
  }

  /** A frame of this job, with its exact text; only the first copy of each seq is digested. */
  void deliver(Frame.JobFrame frame, String text) {
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

  void proofArrived(SignedProof signed) {
    proof.complete(signed);
  }

  void nodeLost(String reason) {
    frames.add(new Frame.JobError(jobId, -1, NODE_LOST, reason, true, null));
    proof.complete(null);
  }

  /** True when the job was closed more than {@code waitMs} ago and its proof never came. */
  boolean proofOverdue(long nowMs, long waitMs) {
    return closed.get() && !proof.isDone() && nowMs - closedAtMs > waitMs;
  }

  void giveUpOnProof() {
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
  public void cancel(String reason) {
    if (cancelled.compareAndSet(false, true)) {
      cancelledFrame = new Frame.JobError(jobId, -1, CANCELLED, reason, false, null);
      frames.clear();
      // wakes a relay waiting in next(): whoever cancelled from another thread wants it to stop
      frames.add(cancelledFrame);
      session.sendQuietly(new Frame.Cancel(jobId, reason));
    }
  }

  @Override
  public CompletableFuture<SignedProof> proof() {
    return proof;
  }

  @Override
  public String receivedResponseSha256() {
    synchronized (digest) {
      return digest.hex();
    }
  }

  @Override
  public byte[] nodePublicKey() {
    return session.publicKey();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closedAtMs = System.currentTimeMillis();
      session.release(this);
    }
  }
}
