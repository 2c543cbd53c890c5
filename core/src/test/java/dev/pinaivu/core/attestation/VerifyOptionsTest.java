package dev.pinaivu.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifyOptionsTest {
  private static final String PCR = "AB".repeat(48);

  @Test
  void defaults_checkAtTheDocumentsTimeAndRefuseDebug() {
    VerifyOptions options = VerifyOptions.DEFAULTS;

    assertThat(options.atMillis()).isNull();
    assertThat(options.allowDebug()).isFalse();
    assertThat(options.expectedPcrs()).isEmpty();
    assertThat(options.expectedPublicKey()).isNull();
  }

  @Test
  void withers_addToTheOptionsAndLeaveTheOriginalAlone() {
    VerifyOptions options =
        VerifyOptions.DEFAULTS
            .at(1_665_651_482_136L)
            .allowingDebug()
            .expectingPcr(0, PCR)
            .expectingPublicKey(new byte[] {(byte) 0xCA, (byte) 0xFE});

    assertThat(options)
        .isEqualTo(
            new VerifyOptions(1_665_651_482_136L, true, Map.of(0, PCR.toLowerCase()), "cafe"));
    assertThat(VerifyOptions.DEFAULTS.expectedPcrs()).isEmpty();
  }

  @Test
  void expectingPcr_acceptsThe32And64ByteForms() {
    VerifyOptions options =
        VerifyOptions.DEFAULTS.expectingPcr(1, "00".repeat(32)).expectingPcr(2, "00".repeat(64));

    assertThat(options.expectedPcrs()).containsOnlyKeys(1, 2);
  }

  @Test
  void expectingPcr_whenNotHex_refusesSayingSo() {
    assertThatThrownBy(() -> VerifyOptions.DEFAULTS.expectingPcr(0, "zz".repeat(48)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected PCR0 is not hex");
  }

  @Test
  void expectingPcr_whenWrongLength_refusesSayingSo() {
    assertThatThrownBy(() -> VerifyOptions.DEFAULTS.expectingPcr(0, "ab".repeat(47)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected PCR0 must be 32, 48 or 64 bytes of hex, got 47 bytes");
  }

  @Test
  void expectingPcr_whenIndexOutOfRange_refuses() {
    assertThatThrownBy(() -> VerifyOptions.DEFAULTS.expectingPcr(32, PCR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PCR index must be 0..31, got 32");
  }

  @Test
  void at_whenNegative_refuses() {
    assertThatThrownBy(() -> VerifyOptions.DEFAULTS.at(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expectingPublicKey_whenEmpty_refuses() {
    assertThatThrownBy(() -> VerifyOptions.DEFAULTS.expectingPublicKey(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected public_key must be 1..1024 bytes");
  }
}
