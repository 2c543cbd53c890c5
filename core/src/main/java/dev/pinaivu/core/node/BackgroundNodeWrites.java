package dev.pinaivu.core.node;

import dev.pinaivu.core.concurrent.LatestWrites;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NodeRegistry} whose writes that nobody waits on are made off the caller's thread: a
 * node's heartbeats (the latest one only, in order), its results and the renewal of slots. What
 * decides routing stays on the caller's thread (join, offer, reserve, release, leave, reads). A
 * gateway wraps a remote registry in it, so that a node's socket is never read more slowly than the
 * table answers, and a first token is relayed without waiting for a write.
 */
public final class BackgroundNodeWrites implements NodeRegistry {
  private static final Logger log = LoggerFactory.getLogger(BackgroundNodeWrites.class);

  private record Beat(String connection, int runningJobs, long atMs) {}

  private final NodeRegistry registry;
  private final Executor executor;
  private final LatestWrites<NodeId, Beat> heartbeats;

  public BackgroundNodeWrites(NodeRegistry registry, Executor executor) {
    this.registry = registry;
    this.executor = executor;
    this.heartbeats =
        new LatestWrites<>(
            "heartbeat",
            (node, beat) ->
                registry.heartbeat(node, beat.connection(), beat.runningJobs(), beat.atMs()),
            executor);
  }

  @Override
  public void heartbeat(NodeId node, String connection, int runningJobs, long nowMs) {
    heartbeats.submit(node, new Beat(connection, runningJobs, nowMs));
  }

  @Override
  public void succeeded(NodeId node, double latencyMs) {
    later("a success", () -> registry.succeeded(node, latencyMs));
  }

  @Override
  public void failed(NodeId node) {
    later("a failure", () -> registry.failed(node));
  }

  @Override
  public void renew(NodeId node, String jobId, long leaseUntilMs) {
    later("a lease renewal", () -> registry.renew(node, jobId, leaseUntilMs));
  }

  private void later(String what, Runnable write) {
    try {
      executor.execute(() -> {
        try {
          write.run();
        } catch (RuntimeException e) {
          log.warn("{} was not written to the node registry: {}", what, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("{} was not written to the node registry: shutting down", what);
    }
  }

  @Override
  public boolean join(NodeEntry entry, long nowMs) {
    return registry.join(entry, nowMs);
  }

  @Override
  public boolean offer(NodeEntry withOffer, long nowMs) {
    return registry.offer(withOffer, nowMs);
  }

  @Override
  public Reservation reserve(
      NodeId node, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs) {
    return registry.reserve(node, connection, jobId, capacity, leaseUntilMs, nowMs);
  }

  @Override
  public void release(NodeId node, String jobId) {
    registry.release(node, jobId);
  }

  @Override
  public void leave(NodeId node, String connection) {
    registry.leave(node, connection);
  }

  @Override
  public Optional<RegisteredNode> find(NodeId node, long nowMs) {
    return registry.find(node, nowMs);
  }

  @Override
  public List<RegisteredNode> all(long nowMs) {
    return registry.all(nowMs);
  }
}
