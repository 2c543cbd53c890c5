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
  }

  @Override
  public Frame.JobFrame next(Duration timeout) throws InterruptedException {
    long now = parts.clock().millis();
    if (now - renewedAtMs > NodeRegistry.SLOT_LEASE_MS / 3) {
      renewedAtMs = now;
      try {
        parts.registry().renew(node, jobId(), now + NodeRegistry.SLOT_LEASE_MS);
      } catch (RuntimeException e) {
        // the lease still runs for a while; the next read tries again
      }
    }
    return super.next(timeout);
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
