package dev.pinaivu.core.limits;

import java.time.InstantSource;

class RateLimiterTest extends SlidingLogContract {
  @Override
  protected RateLimits newLimits(InstantSource clock) {
    return new RateLimiter(clock);
  }
}
