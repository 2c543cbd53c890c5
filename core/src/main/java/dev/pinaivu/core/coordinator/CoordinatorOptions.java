package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.money.TokenPrice;
import dev.pinaivu.core.pricing.FeePolicy;
import dev.pinaivu.core.translog.NoteText;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CoordinatorService} prices, limits and remembers.
 *
 * @param fees the network fee charged on top of the node's amount
 * @param tokenTtl how long after issue a node may still start a job
 * @param settleWindow how long after a token expires its job may still be settled (the job's own
 *     run time plus the gateway's retries during an outage); later settles are refused
 * @param settledCapacity how many recent receipts are kept whole, so that a retried settle gets the
 *     byte-identical receipt (older ones are answered with their log index)
 * @param priceCeiling the most a token may pay per million tokens, whatever a node offers: bounds
 *     what any parent can have signed
 * @param clock the coordinator's clock (token and receipt times)
 * @param logOrigin the transparency log's origin line, also its checkpoint key name
 * @param logCapacity how many log entries the coordinator keeps until its parent stores them
 * @param succession which keys' logs the coordinator continues (at restart, and when re-logging
 *     what a crashed coordinator signed)
 */
public record CoordinatorOptions(
    FeePolicy fees,
    Duration tokenTtl,
    Duration settleWindow,
    int settledCapacity,
    TokenPrice priceCeiling,
    Clock clock,
    String logOrigin,
    int logCapacity,
    Succession succession) {
  /**
   * A request lives at most 15 minutes (the Lambda limit the AWS deployment runs under); a minute
   * more covers queueing between dispatch and the node's start.
   */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(16);

  /** 15 minutes of job after the last possible start, then 30 minutes of settlement retries. */
  public static final Duration DEFAULT_SETTLE_WINDOW = Duration.ofMinutes(45);

  /** Receipts are about 3-4 KiB, so the default cache stays near 40 MiB. */
  public static final int DEFAULT_SETTLED_CAPACITY = 10_000;

  /** $100 per million tokens, input and output: far above any open model's market price. */
  public static final TokenPrice DEFAULT_PRICE_CEILING = new TokenPrice(100_000_000, 100_000_000);

  /** Token limits beyond these are refused: 8 MiB bodies make at most ~9M prompt tokens. */
  public static final long MAX_PROMPT_TOKENS = 16_000_000;

  public static final long MAX_COMPLETION_TOKENS = 4_000_000;

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
    Objects.requireNonNull(priceCeiling, "priceCeiling");
    if (tokenTtl == null || tokenTtl.toMillis() < 1) {
      throw new IllegalArgumentException("the token TTL must be at least 1 ms");
    }
    if (settleWindow == null || settleWindow.isNegative()) {
      throw new IllegalArgumentException("the settle window cannot be negative");
    }
    if (settledCapacity < 1) {
      throw new IllegalArgumentException("the settled-receipt cache holds at least one receipt");
    }
  }

  /**
   * Defaults with this fee policy: 16-minute tokens settled up to 45 minutes after they expire, 10
   * 000 cached receipts, a $100 per million tokens price ceiling, the UTC clock, the local log
   * origin, and no attestation check of predecessors (an enclave sets {@link AttestedSuccession}).
   */
  public static CoordinatorOptions withFees(FeePolicy fees) {
    return new CoordinatorOptions(
        fees,
        DEFAULT_TOKEN_TTL,
        DEFAULT_SETTLE_WINDOW,
        DEFAULT_SETTLED_CAPACITY,
        DEFAULT_PRICE_CEILING,
        Clock.systemUTC(),
        DEFAULT_LOG_ORIGIN,
        DEFAULT_LOG_CAPACITY,
        Succession.NO_DEV_AFTER_NITRO);
  }

  public CoordinatorOptions withClock(Clock clock) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withTokenTtl(Duration tokenTtl) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withSettleWindow(Duration settleWindow) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withSettledCapacity(int settledCapacity) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withPriceCeiling(TokenPrice priceCeiling) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withLogOrigin(String logOrigin) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withSuccession(Succession succession) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }

  public CoordinatorOptions withLogCapacity(int logCapacity) {
    return new CoordinatorOptions(
        fees,
        tokenTtl,
        settleWindow,
        settledCapacity,
        priceCeiling,
        clock,
        logOrigin,
        logCapacity,
        succession);
  }
}
