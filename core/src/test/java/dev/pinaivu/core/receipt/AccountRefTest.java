package dev.pinaivu.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinaivu.core.id.RequestId;
import org.junit.jupiter.api.Test;

class AccountRefTest {
  @Test
  void of_isStablePerRequestAndUnlinkableAcrossRequests() {
    RequestId other = RequestId.parse("req_01j9z4kxm8vwqe3t5p6n7r2y0d");

    String ref = AccountRef.of(Fixtures.ACCOUNT_SECRET, Fixtures.REQUEST_ID);

    assertThat(ref).matches("[0-9a-f]{64}");
    assertThat(AccountRef.of(Fixtures.ACCOUNT_SECRET, Fixtures.REQUEST_ID)).isEqualTo(ref);
    assertThat(AccountRef.of(Fixtures.ACCOUNT_SECRET, other)).isNotEqualTo(ref);
    assertThat(AccountRef.of(Fixtures.filled(5), Fixtures.REQUEST_ID)).isNotEqualTo(ref);
  }

  @Test
  void shortSecrets_areRefused() {
    assertThatThrownBy(() -> AccountRef.of(new byte[15], Fixtures.REQUEST_ID))
        .hasMessageContaining("16 bytes");
  }
}
