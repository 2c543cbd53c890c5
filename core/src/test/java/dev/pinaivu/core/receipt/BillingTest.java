package dev.pinaivu.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.openai.Usage;
import org.junit.jupiter.api.Test;

class BillingTest {
  private static final Usage TOKEN = Usage.of(400, 256);

  @Test
  void aClaimWithinEveryLimit_isBilledInFull() {
    Billing.Computed c = Billing.compute(Usage.of(12, 7), TOKEN, true, 33, Usage.of(12, 7));

    assertThat(c.billed()).isEqualTo(Usage.of(12, 7));
    assertThat(c.billing().limitedBy()).isEmpty();
  }

  @Test
  void theBilledUsage_isTheClaimCutToTheLowestLimit_andEveryLimitBelowTheClaimIsNamed() {
    Billing.Computed c =
        Billing.compute(Usage.of(10_000, 1_000_000), TOKEN, true, 40, Usage.of(300, 30));

    assertThat(c.billed()).isEqualTo(Usage.of(300, 30));
    assertThat(c.billing().limitedBy())
        .containsExactly(
            Billing.MAX_PROMPT_TOKENS,
            Billing.MAX_COMPLETION_TOKENS,
            Billing.DELIVERED_OUTPUT,
            Billing.SHOWN_USAGE);
  }

  @Test
  void noOutputReachingTheClient_billsNothing_whateverTheClaim() {
    Billing.Computed c = Billing.compute(Usage.of(12, 7), TOKEN, false, 0, null);

    assertThat(c.billed()).isEqualTo(Usage.of(0, 0));
    assertThat(c.billing().limitedBy()).containsExactly(Billing.NO_OUTPUT);
  }

  @Test
  void aZeroClaimWithoutOutput_namesNoLimit() {
    Billing.Computed c = Billing.compute(Usage.of(0, 0), TOKEN, false, 0, null);

    assertThat(c.billing().limitedBy()).isEmpty();
  }
}
