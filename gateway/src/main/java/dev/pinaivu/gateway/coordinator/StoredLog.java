package dev.pinaivu.gateway.coordinator;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.coordinator.CoordinatorUnavailableException;
import dev.pinaivu.core.coordinator.LogSync;
import dev.pinaivu.core.coordinator.client.TcpCoordinator;
import dev.pinaivu.core.receipt.CoordinatorKeys;
import dev.pinaivu.core.translog.InvalidNoteException;
import dev.pinaivu.core.translog.LogStore;
import dev.pinaivu.core.translog.TransparencyLog;
import dev.pinaivu.core.usage.ReceiptStore;
import java.time.Clock;

/**
 * The gateway's copy of its coordinator's transparency log (SQLite, or DynamoDB on AWS): opened at
 * start (the coordinator resumes it and its key announcement is stored at once, before it signs a
 * receipt), reopened on every reconnect of a TCP coordinator (with what a crashed one lost logged
 * again, before any other call on the connection), and kept in sync by {@link LogTicker}.
 */
public final class StoredLog {
  private final TransparencyLog log;
  private final LogSync sync;

  private StoredLog(TransparencyLog log, LogSync sync) {
    this.log = log;
    this.sync = sync;
  }

  /**
   * @throws IllegalStateException when the coordinator is unreachable, signs another log, or
   *     refuses the stored one
   */
  public static StoredLog open(
      String origin,
      LogStore store,
      Coordinator coordinator,
      ReceiptStore receipts,
      CoordinatorKeys knownKeys,
      Clock clock) {
    TransparencyLog log = new TransparencyLog(origin, store);
    LogSync sync = new LogSync(coordinator, log, receipts::loggedFrom, knownKeys::all);
    if (coordinator instanceof TcpCoordinator tcp) {
      tcp.onConnect(key -> knownKeys.remember(key, clock.millis())); // before it signs anything
      tcp.openLogOnConnect(sync::openOn); // a restarted coordinator resumes the stored log
    }
    try {
      sync.open();
      sync.sync();
    } catch (CoordinatorUnavailableException e) {
      throw new IllegalStateException("the coordinator is unreachable: " + e.getMessage(), e);
    } catch (InvalidNoteException e) {
      throw new IllegalStateException(
          "the coordinator's checkpoint does not verify as one of log "
              + origin
              + " (is its --log-origin the same?): "
              + e.getMessage(),
          e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the coordinator refused to resume the stored log: " + e.getMessage(), e);
    }
    return new StoredLog(log, sync);
  }

  public TransparencyLog log() {
    return log;
  }

  public LogSync sync() {
    return sync;
  }
}
