package dev.pinaivu.functions.dispatch;

import dev.pinaivu.core.dispatch.ReceivedJob;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeRegistry;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.functions.nodes.NodeLinks;
import dev.pinaivu.functions.store.DynamoDbNodeConnections;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * A job dispatched from this invocation, its frames arriving on the relay connection. Cancelling
 * sends the node a {@code cancel} through the management API; closing frees the node's slot and
 * takes the job off its connection; while it is read, its slot's lease is renewed (ADR 21).
 */
final class RelayJob extends ReceivedJob {
  /** How long after the job ends its proof may still come; an honest node proves at once. */
  static final Duration PROOF_WAIT = Duration.ofSeconds(10);

  private final NodeId node;
  private final byte[] publicKey;
  private final String nodeConnection;
  private final Parts parts;
  private long renewedAtMs;
  private long checkedAtMs;
  private boolean gone; // told the reader once

  /** What a relayed job works with. */
  record Parts(
      RelayConnection relay,
      NodeLinks links,
      NodeRegistry registry,
      DynamoDbNodeConnections connections,
      InstantSource clock) {}

  RelayJob(String jobId, NodeId node, byte[] publicKey, String nodeConnection, Parts parts) {
    super(jobId);
    this.node = node;
    this.publicKey = publicKey.clone();
    this.nodeConnection = nodeConnection;
    this.parts = parts;
    this.renewedAtMs = parts.clock().millis();
    this.checkedAtMs = renewedAtMs;
  }

  /** How often a waiting reader asks the registry whether the node is still there. */
  static final Duration LIVENESS_CHECK = Duration.ofSeconds(5);

  /**
   * While the job is read, its slot's lease is renewed (every third of a lease) and the node's
   * liveness checked (every {@link #LIVENESS_CHECK}, however long the reader waits): a node the
   * registry no longer holds on this connection, or has not heard from within {@link
   * RelayDispatcher#NODE_SILENCE_MS}, is lost, so that a reader does not wait on a node that died
   * without a {@code $disconnect} (a polling node, ADR 39; a half-open socket).
   */
  @Override
  public Frame.JobFrame next(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      check(parts.clock().millis());
      long left = end - System.nanoTime();
      Frame.JobFrame frame =
          super.next(Duration.ofNanos(Math.max(0, Math.min(left, LIVENESS_CHECK.toNanos()))));
      if (frame != null || end - System.nanoTime() <= 0) {
        return frame;
      }
    }
  }

  private void check(long now) {
    try {
      if (now - renewedAtMs > NodeRegistry.SLOT_LEASE_MS / 3) {
        renewedAtMs = now;
        parts.registry().renew(node, jobId(), now + NodeRegistry.SLOT_LEASE_MS);
      }
      if (now - checkedAtMs >= LIVENESS_CHECK.toMillis()) {
        checkedAtMs = now;
        String lost = lostBecause(now);
        if (lost != null && !gone) {
          gone = true;
          nodeLost(lost);
        }
      }
    } catch (RuntimeException e) {
      // the lease still runs for a while, and the node's standing is read again next time
    }
  }

  /**
   * Why the node is gone at {@code now}, by the registry; null while it is live on the job's
   * connection.
   */
  private String lostBecause(long now) {
    return parts
        .registry()
        .find(node, now)
        .map(n -> {
          if (!n.entry().connection().equals(RelayDispatcher.CONNECTION_PREFIX + nodeConnection)) {
            return "the node is on another connection now";
          }
          return now - n.lastSeenMs() > RelayDispatcher.NODE_SILENCE_MS
              ? "the node went silent"
              : null;
        })
        .orElse("the node left the registry");
  }

  @Override
  protected void tellNodeToStop(String reason) {
    try {
      parts.links().send(nodeConnection, new Frame.Cancel(jobId(), reason));
    } catch (RuntimeException e) {
      // the node stops at its deadline anyway, and is billed for what it sent
    }
  }

  @Override
  protected void released() {
    try {
      parts.registry().release(node, jobId());
      parts.connections().removeJob(nodeConnection, jobId());
    } finally {
      proof()
          .completeOnTimeout(null, PROOF_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((proof, error) -> parts.relay().unregister(jobId()));
    }
  }

  @Override
  public byte[] nodePublicKey() {
    return publicKey.clone();
  }
}
