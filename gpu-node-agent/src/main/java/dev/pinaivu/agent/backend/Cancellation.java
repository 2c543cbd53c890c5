package dev.pinaivu.agent.backend;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cancels one job: sets a flag the backend checks, and closes the resource it is blocked on (the
 * upstream response), which makes the inference server stop generating.
 */
public final class Cancellation {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile Closeable onCancel;

  public boolean isCancelled() {
    return cancelled.get();
  }

  /** Registers what to close on cancel; closes it at once if already cancelled. */
  public void closeOnCancel(Closeable resource) {
    onCancel = resource;
    if (cancelled.get()) {
      closeQuietly(resource);
    }
  }

  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      Closeable resource = onCancel;
      if (resource != null) {
        closeQuietly(resource);
      }
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      // closing is best effort; the job is over either way
    }
  }
}
