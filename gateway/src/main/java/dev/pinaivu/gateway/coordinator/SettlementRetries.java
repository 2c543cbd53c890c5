package dev.pinaivu.gateway.coordinator;

import dev.pinaivu.core.billing.RequestSettler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the settlements a crash or a coordinator outage left owed ({@link
 * RequestSettler#retryOwed}): all of them once at start and whenever the coordinator is back
 * ({@link #soon}), then every minute those owed for more than a minute, which the request path has
 * given up on (it waits 30 s for a proof and retries the coordinator three times).
 */
public final class SettlementRetries implements AutoCloseable {
  static final Duration EVERY = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(SettlementRetries.class);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("settlement-retries").daemon().factory());
  private final RequestSettler settler;

  public SettlementRetries(RequestSettler settler) {
    this.settler = settler;
    timer.execute(() -> retry(settler, Duration.ZERO)); // none of this process is in flight yet
    long ms = EVERY.toMillis();
    timer.scheduleWithFixedDelay(() -> retry(settler, EVERY), ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Completes every owed settlement now, on this class's thread (the caller does not wait): the
   * coordinator is reachable again, maybe restarted. Those the request path is settling too are
   * settled once all the same, since every step is idempotent.
   */
  public void soon() {
    try {
      timer.execute(() -> retry(settler, Duration.ZERO));
    } catch (RejectedExecutionException e) {
      // closed: the next gateway retries them at its start
    }
  }

  private static void retry(RequestSettler settler, Duration age) {
    try {
      int completed = settler.retryOwed(age);
      if (completed > 0) {
        log.info("{} owed settlement(s) completed", completed);
      }
    } catch (RuntimeException e) {
      log.error("owed settlements could not be read: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
