package dev.pinaivu.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdTest {
  @Test
  void next_isReqPrefixAnd26LowerCaseCrockfordDigits() {
    RequestId id = RequestId.next();

    assertThat(id.value()).matches("req_[0-9a-hjkmnp-tv-z]{26}");
    assertThat(id.completionId()).isEqualTo("chatcmpl-" + id.value().substring(4));
  }

  @Test
  void next_neverRepeatsAndSortsByTime() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(RequestId.next().value())).isTrue();
    }
    String earlier = Ulid.next(1_000_000L);
    String later = Ulid.next(1_000_001L);
    assertThat(earlier.substring(0, 10)).isLessThan(later.substring(0, 10));
  }

  @Test
  void ulid_encodesItsTimestamp() {
    long now = System.currentTimeMillis();

    assertThat(Ulid.timestamp(Ulid.next(now))).isEqualTo(now);
    assertThat(Ulid.timestamp(Ulid.next(0))).isZero();
    assertThat(Ulid.next(0)).startsWith("0000000000");
  }

  @Test
  void parse_refusesAnythingElse() {
    for (String bad :
        new String[] {
          "req_",
          "req_01J9Z4KXM8VWQE3T5P6N7R2Y0C",
          "req_01j9z4kxm8vwqe3t5p6n7r2y0",
          "abc_01j9z4kxm8vwqe3t5p6n7r2y0c",
          "req_81j9z4kxm8vwqe3t5p6n7r2y0c",
          "req_01j9z4kxm8vwqe3t5p6n7r2y0u",
          null
        }) {
      assertThat(RequestId.isValid(bad)).as(bad).isFalse();
    }
    assertThatThrownBy(() -> RequestId.parse("req_x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(RequestId.parse("req_01j9z4kxm8vwqe3t5p6n7r2y0c").value())
        .isEqualTo("req_01j9z4kxm8vwqe3t5p6n7r2y0c");
  }

  @Test
  void base32_matchesCrockfordOnKnownBytes() {
    assertThat(Base32.encode(new byte[] {0})).isEqualTo("00");
    assertThat(Base32.encode(new byte[] {(byte) 0xff})).isEqualTo("zw");
    assertThat(Base32.encode("foobar".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo("csqpyrk1e8");
  }
}
