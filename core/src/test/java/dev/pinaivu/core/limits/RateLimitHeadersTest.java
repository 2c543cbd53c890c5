package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  @Test
  void duration_isWrittenTheWayOpenAiWritesIt() {
    assertThat(RateLimitHeaders.duration(0)).isEqualTo("0s");
    assertThat(RateLimitHeaders.duration(-5)).isEqualTo("0s");
    assertThat(RateLimitHeaders.duration(120)).isEqualTo("120ms");
    assertThat(RateLimitHeaders.duration(999)).isEqualTo("999ms");
    assertThat(RateLimitHeaders.duration(1000)).isEqualTo("1s");
    assertThat(RateLimitHeaders.duration(1500)).isEqualTo("1.5s");
    assertThat(RateLimitHeaders.duration(17_250)).isEqualTo("17.25s");
    assertThat(RateLimitHeaders.duration(60_000)).isEqualTo("1m0s");
    assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
    assertThat(RateLimitHeaders.duration(90_005)).isEqualTo("1m30.005s");
    assertThat(RateLimitHeaders.duration(3_600_000)).isEqualTo("1h0m0s");
  }

  @Test
  void retryAfter_isWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(RateLimitHeaders.retryAfter(0)).isEqualTo("1");
    assertThat(RateLimitHeaders.retryAfter(1)).isEqualTo("1");
    assertThat(RateLimitHeaders.retryAfter(1000)).isEqualTo("1");
    assertThat(RateLimitHeaders.retryAfter(1001)).isEqualTo("2");
    assertThat(RateLimitHeaders.retryAfter(59_999)).isEqualTo("60");
  }
}
