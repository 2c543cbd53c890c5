package dev.pinaivu.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import org.junit.jupiter.api.Test;

class StoredReceiptTest {
  @Test
  void of_copiesTheBilledFiguresFromTheSignedReceipt_notTheGeneratedOnes() {
    RequestId id = RequestId.next();
    SignedReceipt signed =
        SignedReceipts.signed(id, Outcome.CANCELLED, Usage.of(1_000, 900), 700, 1_800_000_000_000L);

    StoredReceipt stored = StoredReceipt.of("acct_alice", "key_1", signed);

    assertThat(stored.requestId()).isEqualTo(id);
    assertThat(stored.accountId()).isEqualTo("acct_alice");
    assertThat(stored.keyId()).isEqualTo("key_1");
    assertThat(stored.model()).isEqualTo(SignedReceipts.MODEL);
    assertThat(stored.nodeId()).isEqualTo(signed.receipt().nodeId().value());
    assertThat(stored.outcome()).isEqualTo("cancelled");
    assertThat(stored.issuedAtMs()).isEqualTo(1_800_000_000_000L);
    assertThat(stored.promptTokens()).isEqualTo(1_000);
    assertThat(stored.completionTokens()).isEqualTo(700);
    // ceil((1000 * 150000 + 700 * 600000) / 1e6) = 570, fee ceil(570 * 5%) = 29
    assertThat(stored.totalChargedMicros()).isEqualTo(599);
    assertThat(stored.signedReceipt()).isEqualTo(signed.json());
  }
}
