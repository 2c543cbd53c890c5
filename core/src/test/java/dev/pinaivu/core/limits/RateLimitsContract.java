package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.error.ErrorKind;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimits} adapter must do: no 60 seconds ever hold more than a key's limits,
 * a request counts for at least a minute and at most {@link #latenessMs()} longer, {@code
 * Retry-After} is never too early and at most that much late, and tickets are settled once, from
 * any copy of the value. An adapter that keeps each request's time (a sliding log) is exact and
 * passes {@link SlidingLogContract} too. An adapter's test supplies limits over a clock the test
 * moves.
 */
public abstract class RateLimitsContract {
  protected static final long T0 = 1_800_000_000_000L; // a whole minute since the epoch
  protected final AtomicLong now = new AtomicLong(T0);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  protected RateLimits limiter;

  /** New, empty limits that read {@code clock}. */
  protected abstract RateLimits newLimits(InstantSource clock);

  /**
   * How much longer than {@link RateLimits#WINDOW_MS} a request may go on counting after its
   * admission: 0 for an exact sliding log; an adapter that counts in time slots says its slot's
   * width less 1 ms. Every wait it reports is at most this much longer than the exact one.
   */
  protected long latenessMs() {
    return 0;
  }

  @BeforeEach
  void create() {
    limiter = newLimits(clock);
  }

  protected RateLimitedException refused(Integer rpm, Integer tpm, long tokens) {
    try {
      limiter.admit("key_1", rpm, tpm, tokens);
    } catch (RateLimitedException e) {
      return e;
    }
    throw new AssertionError("the request was admitted");
  }

  /** A wait the adapter reported, against the exact one: never shorter, at most the lateness. */
  private void assertWait(long reported, long exact) {
    assertThat(reported).isBetween(exact, exact + latenessMs());
  }

  @Test
  void aTicket_canBeSettledFromACopyOfItsValue_asAnotherProcessWould() {
    Ticket ticket = limiter.admit("key_1", null, 1000, 800);
    Ticket copy =
        new Ticket(
            ticket.id(),
            ticket.keyId(),
            ticket.admittedAtMs(),
            ticket.reservedTokens(),
            ticket.status());

    limiter.settle(copy, 100);
    limiter.settle(ticket, 900); // only the first settle counts

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(100);
  }

  @Test
  void rpm_admitsTheLimitThenRefusesUntilTheFirstRequestIsAMinuteOld() {
    limiter.admit("key_1", 2, null, 0);
    now.addAndGet(10_000);
    limiter.admit("key_1", 2, null, 0);
    now.addAndGet(20_000);

    RateLimitedException e = refused(2, null, 0);

    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(e.code()).isEqualTo("rate_limit_exceeded");
    assertWait(e.retryAfterMs(), 30_000);
    assertWait(e.status().requestsResetMs(), 40_000);
    assertThat(e.getMessage()).contains("requests per min (RPM): Limit 2, Used 2, Requested 1");
    assertThat(e.headers())
        .containsKey("retry-after")
        .containsEntry("x-ratelimit-limit-requests", "2")
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsKey("x-ratelimit-reset-requests")
        .doesNotContainKey("x-ratelimit-limit-tokens");
  }

  @Test
  void rpm_windowEdge_aRequestCountsForAMinute_andAtMostTheLatenessLonger() {
    limiter.admit("key_1", 1, null, 0);

    now.set(T0 + RateLimits.WINDOW_MS - 1);
    assertWait(refused(1, null, 0).retryAfterMs(), 1);

    now.set(T0 + RateLimits.WINDOW_MS + latenessMs());
    assertThat(limiter.admit("key_1", 1, null, 0).status().remainingRequests()).isZero();
  }

  @Test
  void rpm_isASlidingWindow_soNoSixtySecondsEverHoldMoreThanTheLimit() {
    now.set(T0 + 59_000);
    limiter.admit("key_1", 2, null, 0);
    limiter.admit("key_1", 2, null, 0);

    now.set(T0 + 61_000); // a new fixed minute, but the same sliding one
    assertWait(refused(2, null, 0).retryAfterMs(), 58_000);
  }

  @Test
  void rpm_noSixtySecondsHoldMoreThanTheLimit_underRandomArrivals() {
    Random random = new Random(7);
    List<Long> admitted = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      now.addAndGet(random.nextInt(random.nextBoolean() ? 40 : 4_000));
      try {
        limiter.admit("key_1", 5, null, 0);
        admitted.add(now.get());
      } catch (RateLimitedException e) {
        assertThat(e.retryAfterMs()).isPositive();
      }
    }

    for (int first = 0; first + 5 < admitted.size(); first++) {
      assertThat(admitted.get(first + 5) - admitted.get(first))
          .as("six admissions from %s", admitted.get(first))
          .isGreaterThanOrEqualTo(RateLimits.WINDOW_MS);
    }
    assertThat(admitted.size()).isGreaterThan(20);
  }

  @Test
  void rpm_countsEachKeyOnItsOwn() {
    limiter.admit("key_1", 1, null, 0);

    assertThat(limiter.admit("key_2", 1, null, 0)).isNotNull();
    refused(1, null, 0);
  }

  @Test
  void tpm_reservationThenSettle_returnsTheUnusedTokens() {
    Ticket first = limiter.admit("key_1", null, 1000, 800);
    assertThat(first.status().remainingTokens()).isEqualTo(200);
    assertThat(refused(null, 1000, 300).getMessage())
        .contains("tokens per min (TPM): Limit 1000, Used 800, Requested 300");

    limiter.settle(first, 120);

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(120);
    Ticket second = limiter.admit("key_1", null, 1000, 300);
    assertThat(second.status().remainingTokens()).isEqualTo(580);
  }

  @Test
  void tpm_settleAboveTheReservation_countsTheActualUse() {
    Ticket ticket = limiter.admit("key_1", null, 1000, 100);

    limiter.settle(ticket, 900);

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(900);
    refused(null, 1000, 101);
  }

  @Test
  void tpm_release_givesEveryTokenBackButTheRequestStillCounts() {
    Ticket ticket = limiter.admit("key_1", 2, 1000, 1000);

    limiter.release(ticket);

    assertThat(limiter.tokensInWindow("key_1")).isZero();
    Ticket next = limiter.admit("key_1", 2, 1000, 1000);
    assertThat(next.status().remainingRequests()).isZero();
  }

  @Test
  void ticket_onlyTheFirstSettleOrReleaseCounts() {
    Ticket ticket = limiter.admit("key_1", null, 1000, 500);

    limiter.settle(ticket, 200);
    limiter.release(ticket);
    limiter.settle(ticket, 999);

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(200);
  }

  @Test
  void ticket_settledUsageOfUnknownSize_keepsTheReservation() {
    Ticket ticket = limiter.admit("key_1", null, 1000, 500);

    new Admission(null, limiter).settle(ticket, null);

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(500);
  }

  @Test
  void ticket_settledAfterItsMinute_changesNothing() {
    Ticket old = limiter.admit("key_1", null, 1000, 900);
    now.addAndGet(RateLimits.WINDOW_MS + latenessMs());
    limiter.admit("key_1", null, 1000, 900);

    limiter.settle(old, 5);

    assertThat(limiter.tokensInWindow("key_1")).isEqualTo(900);
  }

  @Test
  void tpm_retryAfter_waitsUntilEnoughTokensHaveLeft() {
    limiter.admit("key_1", null, 1000, 400);
    now.addAndGet(5_000);
    limiter.admit("key_1", null, 1000, 400);
    now.addAndGet(5_000);

    RateLimitedException e = refused(null, 1000, 500);

    assertWait(e.retryAfterMs(), 50_000); // the first 400 leave at T0 + 60 s
    assertWait(e.status().tokensResetMs(), 55_000);
    assertThat(e.headers())
        .containsEntry("x-ratelimit-limit-tokens", "1000")
        .containsEntry("x-ratelimit-remaining-tokens", "200")
        .containsKey("retry-after");
  }

  @Test
  void tpm_requestLargerThanTheWholeLimit_isRefusedWithoutRetryAfter() {
    RateLimitedException e = refused(null, 1000, 1001);

    assertThat(e.retryAfterMs()).isNull();
    assertThat(e.getMessage()).contains("Request too large").contains("Requested 1001");
    assertThat(e.headers())
        .doesNotContainKey("retry-after")
        .containsKey("x-ratelimit-limit-tokens");
    assertThat(limiter.tokensInWindow("key_1")).isZero();
  }

  @Test
  void refusedRequests_takeNoRoom() {
    limiter.admit("key_1", 1, null, 0);
    for (int i = 0; i < 5; i++) {
      refused(1, null, 0);
    }

    now.addAndGet(RateLimits.WINDOW_MS + latenessMs());

    assertThat(limiter.admit("key_1", 1, null, 0).status().remainingRequests()).isZero();
  }

  @Test
  void unlimitedKey_keepsNoStateAndSendsNoHeaders() {
    Ticket ticket = limiter.admit("key_1", null, null, 1_000_000);

    assertThat(ticket.status()).isNull();
    assertThat(RateLimitHeaders.of(ticket.status())).isEmpty();
    limiter.settle(ticket, 5);
    assertThat(limiter.tokensInWindow("key_1")).isZero();
  }

  @Test
  void successHeaders_tellTheStandingAfterThisRequest() {
    Ticket ticket = limiter.admit("key_1", 3, 1000, 100);

    assertThat(RateLimitHeaders.of(ticket.status()))
        .containsExactly(
            Map.entry("x-ratelimit-limit-requests", "3"),
            Map.entry("x-ratelimit-remaining-requests", "2"),
            Map.entry("x-ratelimit-reset-requests", "1m0s"),
            Map.entry("x-ratelimit-limit-tokens", "1000"),
            Map.entry("x-ratelimit-remaining-tokens", "900"),
            Map.entry("x-ratelimit-reset-tokens", "1m0s"));
  }

  @Test
  void negativeCounts_areRefused() {
    assertThatThrownBy(() -> limiter.admit("key_1", 1, null, -1))
        .isInstanceOf(IllegalArgumentException.class);
    Ticket ticket = limiter.admit("key_1", 1, null, 0);
    assertThatThrownBy(() -> limiter.settle(ticket, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentAdmissions_neverPassEitherLimit() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        Callable<Integer> attempts =
            () -> {
              start.await();
              int admitted = 0;
              for (int i = 0; i < 200; i++) {
                try {
                  limiter.admit("key_1", 50, 3000, 100);
                  admitted++;
                } catch (RateLimitedException e) {
                  // expected once the window is full
                }
              }
              return admitted;
            };
        results.add(pool.submit(attempts));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(30); // 3000 tokens / 100 each, below the 50 requests
      assertThat(limiter.tokensInWindow("key_1")).isEqualTo(3000);
    } finally {
      pool.shutdownNow();
    }
  }
}
