package dev.pinaivu.functions.store;

import dev.pinaivu.core.translog.SignedCheckpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write protocol of {@link DynamoDbLogStore} (ADR 13): claim a fence, put the leaves, commit
 * the size. One writer per store instance: its writes are serialized by a lock, so the instance's
 * own threads never fence each other out, and appends waiting for the lock are written together as
 * one batch (one claim and one commit for all of them). The leaves of one write are put in
 * parallel.
 */
final class FencedWriter {
  private static final int MAX_BATCH = 100;
  private static final int PARALLEL_PUTS = 8;
  private static final int MAX_APPEND_ATTEMPTS = 100;
  private static final int MAX_COMMIT_ATTEMPTS = 5;

  private final LogTable table;
  private final WriteProbe probe;
  private final ReentrantLock writes = new ReentrantLock();
  private final List<Pending> pending = new ArrayList<>();

  private record Pending(byte[] entry, CompletableFuture<Long> index) {}

  FencedWriter(LogTable table, WriteProbe probe) {
    this.table = table;
    this.probe = probe;
  }

  long append(byte[] entry) {
    Pending mine = new Pending(entry, new CompletableFuture<>());
    synchronized (pending) {
      pending.add(mine);
    }
    writes.lock();
    try {
      while (!mine.index().isDone()) {
        appendBatch(takeBatch());
      }
    } finally {
      writes.unlock();
    }
    try {
      return mine.index().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  void extend(long from, List<byte[]> entries, SignedCheckpoint checkpoint) {
    writes.lock();
    try {
      Head claimed = table.claim();
      if (claimed.size() != from) {
        throw new IllegalStateException(
            "entries from " + from + " cannot extend a log of " + claimed.size() + " leaves");
      }
      if (!write(claimed, entries, checkpoint)) {
        throw new IllegalStateException(
            "another writer extended the log from " + from + " first; nothing was stored");
      }
    } finally {
      writes.unlock();
    }
  }

  private List<Pending> takeBatch() {
    synchronized (pending) {
      List<Pending> head = pending.subList(0, Math.min(MAX_BATCH, pending.size()));
      List<Pending> batch = List.copyOf(head);
      head.clear();
      return batch;
    }
  }

  /** Writes the batch at the end of the log, retrying when another process fenced it out. */
  private void appendBatch(List<Pending> batch) {
    List<byte[]> entries = batch.stream().map(Pending::entry).toList();
    try {
      for (int attempt = 1; ; attempt++) {
        Head claimed = table.claim();
        if (write(claimed, entries, null)) {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).index().complete(claimed.size() + i);
          }
          return;
        }
        if (attempt == MAX_APPEND_ATTEMPTS) {
          throw new IllegalStateException(
              "append lost the race to other writers " + attempt + " times in a row");
        }
        backOff(attempt);
      }
    } catch (RuntimeException e) {
      batch.forEach(p -> p.index().completeExceptionally(e));
    }
  }

  /** Puts the leaves and commits; false when a newer writer got in the way (nothing visible). */
  private boolean write(Head claimed, List<byte[]> entries, SignedCheckpoint checkpoint) {
    long fence = claimed.fence();
    probe.claimed(fence);
    if (!putLeaves(claimed.size(), entries, fence)) {
      return false;
    }
    probe.leavesWritten(fence);
    return commit(claimed, claimed.size() + entries.size(), checkpoint);
  }

  /**
   * Puts the leaves, up to {@link #PARALLEL_PUTS} at a time: they are independent, and only the
   * commit after all of them makes any visible. False if any slot belongs to a newer writer.
   */
  private boolean putLeaves(long from, List<byte[]> entries, long fence) {
    if (entries.size() == 1) {
      return table.putLeaf(from, entries.getFirst(), fence);
    }
    Semaphore slots = new Semaphore(PARALLEL_PUTS);
    List<Future<Boolean>> puts = new ArrayList<>(entries.size());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < entries.size(); i++) {
        long index = from + i;
        byte[] entry = entries.get(i);
        puts.add(
            threads.submit(() -> {
              slots.acquire();
              try {
                return table.putLeaf(index, entry, fence);
              } finally {
                slots.release();
              }
            }));
      }
      boolean all = true;
      for (Future<Boolean> put : puts) {
        all &= put.get();
      }
      return all;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing leaves", e);
    }
  }

  private boolean commit(Head claimed, long to, SignedCheckpoint checkpoint) {
    Head known = claimed;
    for (int attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      boolean withCheckpoint = checkpoint != null && known.takes(checkpoint);
      if (table.commit(claimed, to, withCheckpoint ? checkpoint : null)) {
        return true;
      }
      known = table.head("read the head after a refused commit");
      if (known.fence() != claimed.fence()) {
        return false; // a newer writer claimed: it owns the slots from the size on
      }
      if (known.size() == to && to > claimed.size()) {
        return true; // only we hold this fence: our commit landed and the SDK resent it
      }
      if (known.size() != claimed.size()) {
        return false;
      }
      // only the checkpoint's condition failed: a larger one was saved since; try again without
    }
    throw new IllegalStateException("the commit at size " + to + " kept being refused");
  }

  private static void backOff(int attempt) {
    long bound = Math.min(50, 1L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying an append", e);
    }
  }
}
