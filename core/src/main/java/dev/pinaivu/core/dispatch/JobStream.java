package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.SignedProof;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The frames of one dispatched job, in arrival order. When the node goes away the stream yields a
 * retryable {@link Frame.JobError} with code {@value #NODE_LOST} and sequence number -1; once the
 * job is cancelled it yields a non-retryable one with code {@value #CANCELLED} and sequence number
 * -1, so that a reader waiting in {@link #next} wakes at once.
 */
public interface JobStream extends AutoCloseable {
  String NODE_LOST = "node_lost";
  String CANCELLED = "cancelled";

  /** The next frame, or null when none arrived within {@code timeout}. */
  Frame.JobFrame next(Duration timeout) throws InterruptedException;

  /**
   * Tells the node to stop; frames that still arrive are dropped. Callable from any thread, more
   * than once (only the first call counts). From then on {@link #next} returns the {@value
   * #CANCELLED} error at once, every time, a call already waiting included.
   */
  void cancel(String reason);

  /**
   * The node's signed proof of inference, which it sends after the job's last frame or after a
   * cancel. Completes with null when the node goes away or does not send one in time.
   */
  CompletableFuture<SignedProof> proof();

  /** {@code response_sha256} of the output frames received so far (docs/receipts.md section 4). */
  String receivedResponseSha256();

  /** The raw Ed25519 public key of the node running the job, to check its proof with. */
  byte[] nodePublicKey();

  /** Releases the job's slot on the node; the job must be finished or cancelled. */
  @Override
  void close();
}
