package dev.pinaivu.gateway.coordinator;

import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.LogSync;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LogSync#syncIfGrew} at a fixed cadence, so the coordinator signs a checkpoint only
 * when the log grew, and once more on {@link #close}, so a clean stop leaves nothing unstored.
 */
public final class LogTicker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogTicker.class);

  private final LogSync sync;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("log-checkpoints").daemon().factory());
  private volatile String lastFailure;

  public LogTicker(LogSync sync, Duration cadence) {
    this.sync = sync;
    long ms = cadence.toMillis();
    timer.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      sync.syncIfGrew();
      lastFailure = null;
    } catch (CoordinatorUnavailableException | RuntimeException e) {
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!message.equals(lastFailure)) { // once per distinct failure, not every 500 ms
        log.error("cannot store the coordinator's log checkpoint: {}", message);
      }
      lastFailure = message;
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      sync.sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CoordinatorUnavailableException | RuntimeException e) {
      log.warn("the last log checkpoint before stopping failed: {}", e.getMessage());
    }
  }
}
