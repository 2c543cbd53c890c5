package dev.pinaivu.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsdTest {
  @Test
  void parseMicros_readsDollarsExactly() {
    assertThat(Usd.parseMicros("0.15")).isEqualTo(150_000);
    assertThat(Usd.parseMicros("2")).isEqualTo(2_000_000);
    assertThat(Usd.parseMicros("0")).isZero();
    assertThat(Usd.parseMicros("0.000001")).isEqualTo(1);
    assertThat(Usd.parseMicros("25.00")).isEqualTo(25_000_000);
    assertThat(Usd.parseMicros("10.5")).isEqualTo(10_500_000);
    assertThat(Usd.parseMicros("999999999999.999999")).isEqualTo(999_999_999_999_999_999L);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        " ",
        "-1",
        "+1.00",
        "1e3",
        "1E3",
        "0x10",
        "1.",
        ".5",
        "01",
        "00.1",
        "1.0000001",
        "0.0000001",
        " 10.5 ",
        "10.5\n",
        "1,5",
        "1_000",
        "abc",
        "NaN",
        "Infinity",
        "１",
        "1e400",
        "1000000000000"
      })
  void parseMicros_refusesEveryOtherForm(String bad) {
    assertThatThrownBy(() -> Usd.parseMicros(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dollar amount");
  }

  @Test
  void parseMicros_refusesNothing_andShortensLongInput() {
    assertThatThrownBy(() -> Usd.parseMicros(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Usd.parseMicros("9".repeat(10_000) + "x"))
        .hasMessageNotContaining("9".repeat(41));
  }

  @Test
  void format_roundTrips() {
    for (String s : new String[] {"0", "0.15", "2", "10.5", "0.000001"}) {
      assertThat(Usd.format(Usd.parseMicros(s))).isEqualTo(s);
    }
  }
}
