package dev.pinaivu.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link KeySpend} adapter must do; each adapter's test extends this class. */
public abstract class KeySpendContract {
  protected KeySpend spend;

  protected abstract KeySpend newKeySpend();

  @BeforeEach
  void createKeySpend() {
    spend = newKeySpend();
  }

  @Test
  void spentMicros_ofAKeyThatSpentNothing_isZero() {
    assertThat(spend.spentMicros("key_new")).isZero();
  }

  @Test
  void recordSpend_addsUpPerKey() {
    assertThat(spend.recordSpend("key_a", RequestId.next(), 1_500)).isTrue();
    assertThat(spend.recordSpend("key_a", RequestId.next(), 2_500)).isTrue();
    assertThat(spend.recordSpend("key_b", RequestId.next(), 7)).isTrue();
    assertThat(spend.recordSpend("key_a", RequestId.next(), 0)).isTrue();

    assertThat(spend.spentMicros("key_a")).isEqualTo(4_000);
    assertThat(spend.spentMicros("key_b")).isEqualTo(7);
  }

  @Test
  void recordSpend_sameRequestAgain_countsOnce() {
    RequestId request = RequestId.next();

    assertThat(spend.recordSpend("key_a", request, 1_000)).isTrue();
    assertThat(spend.recordSpend("key_a", request, 1_000)).isFalse();

    assertThat(spend.spentMicros("key_a")).isEqualTo(1_000);
  }

  @Test
  void recordSpend_sameRequestWithOtherContent_isRefusedAndChangesNothing() {
    RequestId request = RequestId.next();
    spend.recordSpend("key_a", request, 1_000);

    assertThatThrownBy(() -> spend.recordSpend("key_a", request, 999))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> spend.recordSpend("key_b", request, 1_000))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(spend.spentMicros("key_a")).isEqualTo(1_000);
    assertThat(spend.spentMicros("key_b")).isZero();
  }

  @Test
  void recordSpend_negativeAmount_isRefused() {
    assertThatThrownBy(() -> spend.recordSpend("key_a", RequestId.next(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(spend.spentMicros("key_a")).isZero();
  }

  @Test
  void recordSpend_overflowingTheTotal_isRefusedAndChangesNothing() {
    spend.recordSpend("key_a", RequestId.next(), Long.MAX_VALUE);

    assertThatThrownBy(() -> spend.recordSpend("key_a", RequestId.next(), 1))
        .isInstanceOf(ArithmeticException.class);

    assertThat(spend.spentMicros("key_a")).isEqualTo(Long.MAX_VALUE);
  }
}
