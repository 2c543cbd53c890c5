package dev.pinaivu.core.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node registry of one process (the one-machine gateway): a map of nodes, each changed under
 * its own lock. Slots lapse as the port says, though in one process their holder dies with them.
 */
public final class InMemoryNodeRegistry implements NodeRegistry {
  private final Map<NodeId, Node> nodes = new ConcurrentHashMap<>();

  /** One node's mutable state; every access holds its monitor. */
  private static final class Node {
    NodeEntry entry;
    long lastSeenMs;
    final Map<String, Long> slots = new HashMap<>();
    int reported;
    double latencyMs = Double.NaN;
    int streak;
    long successes;
    long failures;

    Node(NodeEntry entry, long nowMs) {
      this.entry = entry;
      this.lastSeenMs = nowMs;
    }

    /** The slots whose lease has not ended; a lapsed one is freed as a release frees it. */
    int liveSlots(long nowMs) {
      slots
          .values()
          .removeIf(until -> {
            if (until > nowMs) {
              return false;
            }
            reported = Math.max(0, reported - 1);
            return true;
          });
      return slots.size();
    }

    RegisteredNode view(long nowMs) {
      return new RegisteredNode(
          entry, lastSeenMs, liveSlots(nowMs), reported, latencyMs, streak, successes, failures);
    }
  }

  @Override
  public boolean join(NodeEntry entry, long nowMs) {
    boolean[] joined = {false};
    nodes.compute(
        entry.nodeId(),
        (id, current) -> {
          if (current != null) {
            synchronized (current) {
              if (current.entry.connectedAtMs() > entry.connectedAtMs()) {
                return current; // a newer connection holds it
              }
            }
          }
          joined[0] = true;
          return new Node(entry, nowMs);
        });
    return joined[0];
  }

  @Override
  public boolean offer(NodeEntry withOffer, long nowMs) {
    Node node = nodes.get(withOffer.nodeId());
    if (node == null) {
      return false;
    }
    synchronized (node) {
      if (!node.entry.connection().equals(withOffer.connection())
          || withOffer.offer().issuedAtMs() <= node.entry.offer().issuedAtMs()) {
        return false;
      }
      node.entry = withOffer;
      node.lastSeenMs = Math.max(node.lastSeenMs, nowMs);
      node.reported = NodeRegistry.clampedRunning(node.reported, withOffer.offer().capacity());
      return true;
    }
  }

  @Override
  public void heartbeat(NodeId id, String connection, int runningJobs, long nowMs) {
    Node node = nodes.get(id);
    if (node == null) {
      return;
    }
    synchronized (node) {
      if (node.entry.connection().equals(connection)) {
        node.lastSeenMs = Math.max(node.lastSeenMs, nowMs);
        node.reported = NodeRegistry.clampedRunning(runningJobs, node.entry.offer().capacity());
      }
    }
  }

  @Override
  public Reservation reserve(
      NodeId id, String connection, String jobId, int capacity, long leaseUntilMs, long nowMs) {
    Node node = nodes.get(id);
    if (node == null) {
      return Reservation.NOT_HELD;
    }
    synchronized (node) {
      if (!node.entry.connection().equals(connection)) {
        return Reservation.NOT_HELD;
      }
      int held = node.liveSlots(nowMs);
      if (!node.slots.containsKey(jobId) && Math.max(held, node.reported) >= capacity) {
        return Reservation.AT_CAPACITY;
      }
      if (node.slots.put(jobId, leaseUntilMs) == null) {
        node.reported = Math.min(node.reported + 1, node.entry.offer().capacity());
      }
      return Reservation.RESERVED;
    }
  }

  @Override
  public void renew(NodeId id, String jobId, long leaseUntilMs) {
    Node node = nodes.get(id);
    if (node != null) {
      synchronized (node) {
        node.slots.computeIfPresent(jobId, (job, until) -> Math.max(until, leaseUntilMs));
      }
    }
  }

  @Override
  public void release(NodeId id, String jobId) {
    Node node = nodes.get(id);
    if (node != null) {
      synchronized (node) {
        if (node.slots.remove(jobId) != null && node.reported > 0) {
          node.reported--;
        }
      }
    }
  }

  @Override
  public void succeeded(NodeId id, double latencyMs) {
    Node node = nodes.get(id);
    if (node != null) {
      synchronized (node) {
        node.latencyMs = NodeRegistry.averaged(node.latencyMs, latencyMs);
        node.streak = 0;
        node.successes++;
      }
    }
  }

  @Override
  public void failed(NodeId id) {
    Node node = nodes.get(id);
    if (node != null) {
      synchronized (node) {
        node.streak++;
        node.failures++;
      }
    }
  }

  @Override
  public void leave(NodeId id, String connection) {
    nodes.computeIfPresent(
        id,
        (key, node) -> {
          synchronized (node) {
            return node.entry.connection().equals(connection) ? null : node;
          }
        });
  }

  @Override
  public Optional<RegisteredNode> find(NodeId id, long nowMs) {
    Node node = nodes.get(id);
    if (node == null) {
      return Optional.empty();
    }
    synchronized (node) {
      return Optional.of(node.view(nowMs));
    }
  }

  @Override
  public List<RegisteredNode> all(long nowMs) {
    List<RegisteredNode> out = new ArrayList<>(nodes.size());
    for (Node node : nodes.values()) {
      synchronized (node) {
        out.add(node.view(nowMs));
      }
    }
    return out;
  }
}
