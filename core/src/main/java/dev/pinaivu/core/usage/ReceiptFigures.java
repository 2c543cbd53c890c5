package dev.pinaivu.core.usage;

import dev.pinaivu.core.id.RequestId;
import java.util.Objects;

/**
 * The figures of one stored receipt that usage reports group and sum by, without the signed
 * receipt: what a store can answer from an index without reading whole receipts (about 4 KB each).
 * Copied from the {@link StoredReceipt}, so the sums are still the sums of the receipts.
 */
public record ReceiptFigures(
    RequestId requestId,
    String keyId,
    String model,
    long issuedAtMs,
    long promptTokens,
    long completionTokens,
    long totalChargedMicros) {

  public ReceiptFigures {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(model, "model");
    if (promptTokens < 0 || completionTokens < 0 || totalChargedMicros < 0) {
      throw new IllegalArgumentException("receipt figures cannot be negative");
    }
  }

  public static ReceiptFigures of(StoredReceipt receipt) {
    return new ReceiptFigures(
        receipt.requestId(),
        receipt.keyId(),
        receipt.model(),
        receipt.issuedAtMs(),
        receipt.promptTokens(),
        receipt.completionTokens(),
        receipt.totalChargedMicros());
  }
}
