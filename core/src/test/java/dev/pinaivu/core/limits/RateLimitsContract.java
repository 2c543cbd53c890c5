package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.error.ErrorKind;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimits} adapter must do: a sliding one-minute window per key, exact {@code
 * Retry-After}, and tickets settled once, from any copy of the value. An adapter's test supplies
 * limits over a clock the test moves.
 */
public abstract class RateLimitsContract {
  private static final long T0 = 1_800_000_000_000L;
  private final AtomicLong now = new AtomicLong(T0);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  private RateLimits limiter;

  /** New, empty limits that read {@code clock}. */
  protected abstract RateLimits newLimits(InstantSource clock);

  @BeforeEach
  void create() {
    limiter = newLimits(clock);
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

  private RateLimitedException refused(Integer rpm, Integer tpm, long tokens) {
    try {
      limiter.admit("key_1", rpm, tpm, tokens);
    } catch (RateLimitedException e) {
      return e;
    }
    throw new AssertionError("the request was admitted");
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
    assertThat(e.retryAfterMs()).isEqualTo(30_000);
    assertThat(e.getMessage()).contains("requests per min (RPM): Limit 2, Used 2, Requested 1");
    assertThat(e.headers())
        .containsEntry("retry-after", "30")
        .containsEntry("x-ratelimit-limit-requests", "2")
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("x-ratelimit-reset-requests", "40s")
        .doesNotContainKey("x-ratelimit-limit-tokens");
  }

  @Test
  void rpm_windowEdge_aRequestLeavesExactlySixtySecondsAfterItWasAdmitted() {
    limiter.admit("key_1", 1, null, 0);

    now.set(T0 + RateLimits.WINDOW_MS - 1);
    assertThat(refused(1, null, 0).retryAfterMs()).isEqualTo(1);
    assertThat(refused(1, null, 0).headers()).containsEntry("retry-after", "1");

    now.set(T0 + RateLimits.WINDOW_MS);
    assertThat(limiter.admit("key_1", 1, null, 0).status().remainingRequests()).isZero();
  }

  @Test
  void rpm_isASlidingWindow_soNoSixtySecondsEverHoldMoreThanTheLimit() {
    now.set(T0 + 59_000);
    limiter.admit("key_1", 2, null, 0);
    limiter.admit("key_1", 2, null, 0);

    now.set(T0 + 61_000); // a new fixed minute, but the same sliding one
    assertThat(refused(2, null, 0).retryAfterMs()).isEqualTo(58_000);
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
    now.addAndGet(RateLimits.WINDOW_MS);
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

    assertThat(e.retryAfterMs()).isEqualTo(50_000); // the first 400 leave at T0 + 60 s
    assertThat(e.headers())
        .containsEntry("x-ratelimit-limit-tokens", "1000")
        .containsEntry("x-ratelimit-remaining-tokens", "200")
        .containsEntry("x-ratelimit-reset-tokens", "55s")
        .containsEntry("retry-after", "50");
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

    now.addAndGet(RateLimits.WINDOW_MS);

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
            java.util.Map.entry("x-ratelimit-limit-requests", "3"),
            java.util.Map.entry("x-ratelimit-remaining-requests", "2"),
            java.util.Map.entry("x-ratelimit-reset-requests", "1m0s"),
            java.util.Map.entry("x-ratelimit-limit-tokens", "1000"),
            java.util.Map.entry("x-ratelimit-remaining-tokens", "900"),
            java.util.Map.entry("x-ratelimit-reset-tokens", "1m0s"));
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
