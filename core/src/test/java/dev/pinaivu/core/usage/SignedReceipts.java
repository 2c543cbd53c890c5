package dev.pinaivu.core.usage;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.openai.Usage;
import dev.pinaivu.core.receipt.Outcome;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.receipt.TestReceipt;

/** Real signed receipts for the usage tests; see {@link TestReceipt}. */
final class SignedReceipts {
  static final String MODEL = TestReceipt.MODEL;

  private SignedReceipts() {}

  /** A receipt for {@code id} signed at {@code issuedAtMs} (at least 1000). */
  static SignedReceipt signed(
      RequestId id, Outcome outcome, Usage usage, long delivered, long issuedAtMs) {
    return TestReceipt.signed(id, outcome, usage, delivered, issuedAtMs);
  }
}
