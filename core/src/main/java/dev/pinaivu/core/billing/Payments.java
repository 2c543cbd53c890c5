package dev.pinaivu.core.billing;

import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.receipt.Receipt;
import dev.pinaivu.core.usage.StoredReceipt;

/**
 * The ledger movement a receipt stands for: its charge, from the client to the node and the fee.
 */
public final class Payments {
  private Payments() {}

  public static Settlement of(StoredReceipt stored, Receipt receipt) {
    return new Settlement(
        stored.requestId(),
        AccountId.client(stored.accountId()),
        AccountId.parse(stored.nodeId()),
        receipt.charge().totalCharged(),
        receipt.charge().nodeAmount(),
        receipt.charge().fee());
  }
}
