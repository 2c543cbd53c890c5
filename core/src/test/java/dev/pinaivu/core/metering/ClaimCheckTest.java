package dev.pinaivu.core.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.json.Json;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClaimCheckTest {
  private final AtomicInteger counted = new AtomicInteger();
  private final ClaimCheck check =
      new ClaimCheck(text -> {
        counted.incrementAndGet();
        return text.split(" ").length; // one token per word
      });

  private static OutputMeter delivered(String text) throws Exception {
    OutputMeter meter = new OutputMeter();
    meter.chunk(
        Json.parse(
            "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + Json.text(text) + "}}]}"));
    return meter;
  }

  @Test
  void anHonestClaim_isNotTokenizedAtAll() throws Exception {
    OutputMeter meter = delivered("the quick brown fox jumps over the lazy dog");

    assertThat(check.overclaims(9, meter)).isFalse();
    assertThat(counted).hasValue(0);
  }

  @Test
  void aClaimOfOneTokenPerByte_isMarked_thoughTheBillingLimitWouldAllowIt() throws Exception {
    OutputMeter meter = delivered("the quick brown fox jumps over the lazy dog");

    assertThat(check.overclaims(43, meter)).isTrue();
    assertThat(43).isLessThanOrEqualTo((int) meter.completionLimit());
  }

  @Test
  void aClaimWithinTheTolerance_isNotMarked() throws Exception {
    OutputMeter meter = delivered("a b c d e f g h i j k l m n o p q r s t");

    assertThat(check.overclaims(30 + 16, meter)).isFalse();
    assertThat(check.overclaims(30 + 17, meter)).isTrue();
  }
}
