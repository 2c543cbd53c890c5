package dev.pinaivu.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JournalEntryTest {
  private static JournalEntry entry(long amount) {
    return new JournalEntry(AccountId.FEE, amount, EntryKind.FEE, "req", 0);
  }

  @Test
  void applyTo_addsUpToTheEdgesOfTheRange() {
    assertThat(entry(1).applyTo(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(entry(-1).applyTo(-Long.MAX_VALUE + 1)).isEqualTo(-Long.MAX_VALUE);
    assertThat(entry(-5).applyTo(3)).isEqualTo(-2);
  }

  @Test
  void applyTo_refusesToLeaveTheSymmetricRange() {
    assertThatThrownBy(() -> entry(1).applyTo(Long.MAX_VALUE))
        .isInstanceOf(BalanceOverflowException.class)
        .hasMessageContaining("fee");
    // -(2^63) is refused too, so that a balance can always be negated.
    assertThatThrownBy(() -> entry(-1).applyTo(-Long.MAX_VALUE))
        .isInstanceOf(BalanceOverflowException.class);
    assertThatThrownBy(() -> entry(Long.MIN_VALUE + 1).applyTo(-2))
        .isInstanceOf(BalanceOverflowException.class);
  }
}
