package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.translog.NoteText;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CoordinatorService} prices and remembers.
 *
 * @param fees the network fee charged on top of the node's amount
 * @param tokenTtl how long after issue a node may still start a job
 * @param settledCapacity how many recent receipts are kept so that a retried settle returns the
 *     byte-identical receipt
 * @param clock the coordinator's clock (token and receipt times)
 * @param logOrigin the transparency log's origin line, also its checkpoint key name
 * @param logCapacity how many log entries the coordinator keeps until its parent stores them
 * @param succession which keys' logs the coordinator continues (at restart, and when re-logging
 *     what a crashed coordinator signed)
 */
public record CoordinatorOptions(
    FeePolicy fees,
    Duration tokenTtl,
    int settledCapacity,
    Clock clock,
    String logOrigin,
    int logCapacity,
    Succession succession) {
  /**
   * A request lives at most 15 minutes (the Lambda limit the AWS deployment runs under); a minute
   * more covers queueing between dispatch and the node's start.
   */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(16);

  /** Receipts are about 3 KiB, so the default cache stays near 30 MiB. */
  public static final int DEFAULT_SETTLED_CAPACITY = 10_000;

  /** The origin of a local network's log; a deployment names its own. */
  public static final String DEFAULT_LOG_ORIGIN = "local.pinaivu.dev/receipts";

  /** At the parent's 500 ms cadence, room for 20 000 settlements a second; ~30 MiB of receipts. */
  public static final int DEFAULT_LOG_CAPACITY = 10_000;

  public CoordinatorOptions {
    NoteText.requireKeyName(logOrigin);
    if (logCapacity < 1) {
      throw new IllegalArgumentException("the log keeps at least one entry for its parent");
    }
    Objects.requireNonNull(fees, "fees");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(succession, "succession");
    if (tokenTtl == null || tokenTtl.toMillis() < 1) {
      throw new IllegalArgumentException("the token TTL must be at least 1 ms");
    }
    if (settledCapacity < 1) {
      throw new IllegalArgumentException("the settled-receipt cache holds at least one receipt");
    }
  }

  /**
   * Defaults with this fee policy: 16-minute tokens, 10 000 cached receipts, the UTC clock, the
   * local log origin, and no attestation check of predecessors (an enclave sets {@link
   * AttestedSuccession}).
   */
  public static CoordinatorOptions withFees(FeePolicy fees) {
    return new CoordinatorOptions(
        fees,
        DEFAULT_TOKEN_TTL,
        DEFAULT_SETTLED_CAPACITY,
        Clock.systemUTC(),
        DEFAULT_LOG_ORIGIN,
        DEFAULT_LOG_CAPACITY,
        Succession.NO_DEV_AFTER_NITRO);
  }

  public CoordinatorOptions withClock(Clock clock) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }

  public CoordinatorOptions withTokenTtl(Duration tokenTtl) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }

  public CoordinatorOptions withSettledCapacity(int settledCapacity) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }

  public CoordinatorOptions withLogOrigin(String logOrigin) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }

  public CoordinatorOptions withSuccession(Succession succession) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }

  public CoordinatorOptions withLogCapacity(int logCapacity) {
    return new CoordinatorOptions(
        fees, tokenTtl, settledCapacity, clock, logOrigin, logCapacity, succession);
  }
}
