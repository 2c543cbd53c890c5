package dev.pinaivu.core.billing;

import dev.pinaivu.core.coordinator.Coordinator;
import dev.pinaivu.core.id.RequestId;
import java.util.Objects;

/**
 * A settlement the gateway owes: everything needed to have the coordinator sign the receipt again
 * after a crash or an outage (the dispatch token, the node's signed proof, what was delivered), and
 * whose account and key it bills.
 *
 * @param keptAtMs when it was first kept, so that retries leave fresh ones to the request path
 */
public record PendingSettlement(
    RequestId requestId,
    String accountId,
    String keyId,
    Coordinator.SettleRequest request,
    long keptAtMs) {
  public PendingSettlement {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(request, "request");
  }
}
