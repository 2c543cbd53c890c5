package dev.pinaivu.core.usage;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.id.RequestId;
import java.util.Objects;
import java.util.Optional;

/**
 * Use case {@code GET /v1/receipts/{request_id}}: the caller's signed receipt, exactly as the
 * coordinator signed it, for {@code ./pinaivu receipts verify} or any verifier. Another account's
 * receipt gets the very same 404 as an unknown id, so ids cannot be probed.
 */
public final class ReceiptLookup {
  private final ReceiptStore store;

  public ReceiptLookup(ReceiptStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The signed receipt envelope (JSON text) of {@code requestId} if {@code accountId} paid for it.
   *
   * @throws ApiException not found (404) otherwise, whatever the reason
   */
  public String signedReceipt(String accountId, String requestId) {
    return Optional.ofNullable(requestId)
        .filter(RequestId::isValid)
        .map(RequestId::parse)
        .flatMap(store::find)
        .filter(receipt -> receipt.accountId().equals(accountId))
        .map(StoredReceipt::signedReceipt)
        .orElseThrow(() ->
            ApiException.notFound("No receipt found for request " + Shown.of(requestId) + "."));
  }
}
