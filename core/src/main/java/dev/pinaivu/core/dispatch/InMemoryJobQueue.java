package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.node.NodeId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link JobQueue} in one process's memory: for tests and the one-machine network. One lock; takers
 * wait on it for a put.
 */
public final class InMemoryJobQueue implements JobQueue {
  private final InstantSource clock;
  private final Map<NodeId, LinkedHashMap<String, Entry>> queues = new HashMap<>();

  private static final class Entry {
    final QueuedJob job;
    long visibleAtMs;
    int deliveries;
    String handle;

    Entry(QueuedJob job) {
      this.job = job;
    }
  }

  public InMemoryJobQueue(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void put(NodeId node, QueuedJob job) {
    queues
        .computeIfAbsent(node, n -> new LinkedHashMap<>())
        .putIfAbsent(job.jobId(), new Entry(job));
    notifyAll();
  }

  @Override
  public synchronized List<JobLease> take(NodeId node, int max, Duration wait, Duration lease) {
    JobQueue.requireBatch(max);
    long until = System.nanoTime() + wait.toNanos();
    while (true) {
      List<JobLease> out = visible(node, max, lease);
      long left = until - System.nanoTime();
      if (!out.isEmpty() || left <= 0) {
        return out;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  private List<JobLease> visible(NodeId node, int max, Duration lease) {
    List<JobLease> out = new ArrayList<>();
    LinkedHashMap<String, Entry> queue = queues.get(node);
    if (queue == null) {
      return out;
    }
    long now = clock.millis();
    queue.values().removeIf(e -> e.job.expiredAt(now));
    for (Entry e : queue.values()) {
      if (out.size() == max) {
        break;
      }
      if (e.visibleAtMs <= now) {
        e.visibleAtMs = now + lease.toMillis();
        e.deliveries++;
        e.handle = node.value() + "/" + e.job.jobId() + "/" + UUID.randomUUID();
        out.add(new JobLease(e.job, e.handle, e.deliveries));
      }
    }
    return out;
  }

  @Override
  public synchronized void done(JobLease lease) {
    String[] parts = lease.handle().split("/", 3);
    LinkedHashMap<String, Entry> queue = queues.get(NodeId.parse(parts[0]));
    if (queue == null) {
      return;
    }
    Entry e = queue.get(parts[1]);
    if (e != null && lease.handle().equals(e.handle)) { // a stale lease may not end a newer one
      queue.remove(parts[1]);
    }
  }
}
