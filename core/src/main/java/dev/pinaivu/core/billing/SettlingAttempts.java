package dev.pinaivu.core.billing;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the coordinator to settle a few times (200 ms, then 400 ms apart) before giving up: a
 * coordinator restarting or reconnecting is back within that. What it gives up on stays owed and is
 * retried later ({@link RequestSettler#retryOwed}).
 */
final class SettlingAttempts {
  private static final Logger log = LoggerFactory.getLogger(SettlingAttempts.class);
  private static final int ATTEMPTS = 3;

  private final Coordinator coordinator;

  SettlingAttempts(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  /** The coordinator's answer; null when it stayed unreachable or the thread was interrupted. */
  Verification<SignedReceipt> settle(Coordinator.SettleRequest request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return coordinator.settle(request);
      } catch (CoordinatorUnavailableException e) {
        if (attempt == ATTEMPTS) {
          log.error("coordinator unavailable, settlement kept for later: {}", e.getMessage());
          return null;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }
}
