package dev.pinaivu.core.ledger;

/**
 * An idempotency key (a request id, a top-up reference) was reused with different content. The
 * recorded operation stands; the new one is refused whole. A caller bug, never retried.
 */
public class LedgerConflictException extends LedgerException {
  public LedgerConflictException(String message) {
    super(message);
  }

  public static LedgerConflictException of(Settlement recorded, Settlement refused) {
    return new LedgerConflictException(
        "request "
            + recorded.requestId()
            + " is already settled as "
            + describe(recorded)
            + "; refusing a different settlement under the same id: "
            + describe(refused)
            + "; nothing was applied");
  }

  public static LedgerConflictException of(TopUp recorded, TopUp refused) {
    return new LedgerConflictException(
        "top-up reference '"
            + recorded.reference()
            + "' already credited "
            + recorded.amountMicros()
            + " µUSD to "
            + recorded.account()
            + "; refusing "
            + refused.amountMicros()
            + " µUSD to "
            + refused.account()
            + " under the same reference; nothing was applied");
  }

  private static String describe(Settlement s) {
    return s.client()
        + " pays "
        + s.totalMicros()
        + " µUSD (node "
        + s.node()
        + " "
        + s.nodeMicros()
        + ", fee "
        + s.feeMicros()
        + ")";
  }
}
