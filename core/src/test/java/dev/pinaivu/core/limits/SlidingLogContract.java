package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What an adapter that keeps every admitted request's time (a sliding log, like {@link
 * RateLimiter}) does beyond {@link RateLimitsContract}: a request leaves the window exactly 60
 * seconds after its admission, so {@code Retry-After} and the reset headers are exact to the
 * millisecond. A counting adapter (DynamoDB's time slots) is only within its stated lateness.
 */
public abstract class SlidingLogContract extends RateLimitsContract {
  @Override
  protected final long latenessMs() {
    return 0;
  }

  @Test
  void rpm_retryAfterAndResetHeaders_areExact() {
    limiter.admit("key_1", 2, null, 0);
    now.addAndGet(10_000);
    limiter.admit("key_1", 2, null, 0);
    now.addAndGet(20_000);

    RateLimitedException e = refused(2, null, 0);

    assertThat(e.retryAfterMs()).isEqualTo(30_000);
    assertThat(e.headers())
        .containsEntry("retry-after", "30")
        .containsEntry("x-ratelimit-reset-requests", "40s");
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
  void tpm_retryAfterAndResetHeaders_areExact() {
    limiter.admit("key_1", null, 1000, 400);
    now.addAndGet(5_000);
    limiter.admit("key_1", null, 1000, 400);
    now.addAndGet(5_000);

    RateLimitedException e = refused(null, 1000, 500);

    assertThat(e.retryAfterMs()).isEqualTo(50_000);
    assertThat(e.headers())
        .containsEntry("x-ratelimit-reset-tokens", "55s")
        .containsEntry("retry-after", "50");
  }
}
