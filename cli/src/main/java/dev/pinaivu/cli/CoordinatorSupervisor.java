package dev.pinaivu.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the coordinator of {@code pinaivu up} running: when its process exits while {@code up}
 * runs, starts it again on the same address with the same parent secret and log origin ({@link
 * CoordinatorProcess#restart}) after a short backoff, and prints one line; the gateway's client
 * reconnects to it by itself and announces its new key to the nodes. After {@value
 * #MAX_FAST_FAILURES} failures in a row (a start that fails, or a process that exits within {@link
 * #FAST} of its start) it gives up, saying why.
 */
final class CoordinatorSupervisor implements AutoCloseable {
  static final int MAX_FAST_FAILURES = 5;
  static final Duration FAST = Duration.ofSeconds(10);
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 4_000;

  private final PrintStream out;
  private final Consumer<String> giveUp;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("coordinator-supervisor").daemon().factory());
  private CoordinatorProcess current; // guarded by this
  private long startedAtNanos; // guarded by this
  private int failures; // in a row; guarded by this
  private boolean closed; // guarded by this

  /**
   * @param first the running coordinator, whose client the gateway uses
   * @param out where the restart line goes
   * @param giveUp told, once, why it stopped restarting
   */
  CoordinatorSupervisor(CoordinatorProcess first, PrintStream out, Consumer<String> giveUp) {
    this.out = out;
    this.giveUp = giveUp;
    synchronized (this) {
      watch(first);
    }
  }

  /** The coordinator running now (or the last one, while it is being restarted). */
  synchronized CoordinatorProcess current() {
    return current;
  }

  private void watch(CoordinatorProcess process) {
    current = process;
    startedAtNanos = System.nanoTime();
    process.process.onExit().thenRun(() -> later(() -> exited(process), 0));
  }

  private synchronized void exited(CoordinatorProcess process) {
    if (closed || process != current) {
      return;
    }
    boolean fast = System.nanoTime() - startedAtNanos < FAST.toNanos();
    failures = fast ? failures + 1 : 0;
    failed("its process exited with code " + process.process.exitValue());
  }

  /** Restarts after a backoff, or gives up after too many failures in a row. */
  private void failed(String why) {
    if (failures >= MAX_FAST_FAILURES) {
      closed = true;
      String message =
          "the coordinator failed "
              + failures
              + " times in a row within "
              + FAST.toSeconds()
              + " s of its start (last: "
              + why
              + "); not restarting it again. Owed settlements stay on disk until a coordinator"
              + " is back.";
      later(() -> giveUp.accept(message), 0); // not under this lock: it may stop everything
      return;
    }
    long backoff = Math.min(FIRST_BACKOFF_MS << Math.min(failures, 8), MAX_BACKOFF_MS);
    later(() -> restart(why), backoff);
  }

  private synchronized void restart(String why) {
    if (closed) {
      return;
    }
    CoordinatorProcess next;
    try {
      next = current.restart();
    } catch (IOException | IllegalArgumentException e) {
      failures++;
      failed("it did not start again: " + e.getMessage());
      return;
    }
    out.println(
        "The coordinator stopped ("
            + why
            + "); restarted it on "
            + next.hostPort()
            + " with key "
            + next.keyId
            + ".");
    watch(next);
  }

  /** Runs {@code task} on the supervisor's thread, one task at a time. */
  private void later(Runnable task, long delayMs) {
    try {
      timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: nothing to restart
    }
  }

  /** Stops restarting, and stops the coordinator running now. */
  @Override
  public void close() {
    CoordinatorProcess last;
    synchronized (this) {
      closed = true;
      last = current;
    }
    timer.shutdownNow();
    last.close();
  }
}
