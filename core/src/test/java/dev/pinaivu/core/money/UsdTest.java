package dev.pinaivu.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsdTest {
  @Test
  void parseMicros_readsDollarsExactly() {
    assertThat(Usd.parseMicros("0.15")).isEqualTo(150_000);
    assertThat(Usd.parseMicros("2")).isEqualTo(2_000_000);
    assertThat(Usd.parseMicros("0.000001")).isEqualTo(1);
    assertThat(Usd.parseMicros(" 10.5 ")).isEqualTo(10_500_000);
  }

  @Test
  void parseMicros_refusesNegativeTooPreciseAndGarbage() {
    for (String bad : new String[] {"-1", "0.0000001", "abc", "", "1e400"}) {
      assertThatThrownBy(() -> Usd.parseMicros(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void format_roundTrips() {
    for (String s : new String[] {"0", "0.15", "2", "10.5", "0.000001"}) {
      assertThat(Usd.format(Usd.parseMicros(s))).isEqualTo(s);
    }
  }
}
