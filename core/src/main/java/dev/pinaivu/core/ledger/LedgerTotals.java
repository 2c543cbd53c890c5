package dev.pinaivu.core.ledger;

/**
 * Sums over the whole journal, in µUSD, for invariant checks: what clients were charged must equal
 * what nodes earned plus the fees.
 *
 * @param topUpsMicros all prepaid credit added to client accounts
 * @param clientDebitsMicros all that settlements charged clients (a positive number)
 * @param nodeCreditsMicros all that settlements credited to nodes
 * @param feesMicros all fees the network kept
 */
public record LedgerTotals(
    long topUpsMicros, long clientDebitsMicros, long nodeCreditsMicros, long feesMicros) {
  public static final LedgerTotals ZERO = new LedgerTotals(0, 0, 0, 0);

  /** The totals of a journal; fails rather than wrap if a sum passes 2^63 - 1 µUSD. */
  public static LedgerTotals of(Iterable<JournalEntry> journal) {
    long topUps = 0;
    long debits = 0;
    long nodes = 0;
    long fees = 0;
    for (JournalEntry e : journal) {
      switch (e.kind()) {
        case TOP_UP -> {
          if (e.account().kind() == AccountId.Kind.CLIENT) {
            topUps = Math.addExact(topUps, e.amountMicros());
          }
        }
        case CHARGE -> debits = Math.subtractExact(debits, e.amountMicros());
        case EARNING -> nodes = Math.addExact(nodes, e.amountMicros());
        case FEE -> fees = Math.addExact(fees, e.amountMicros());
      }
    }
    return new LedgerTotals(topUps, debits, nodes, fees);
  }

  /** True when every micro-dollar charged went to a node or to the fee account. */
  public boolean balanced() {
    return clientDebitsMicros == nodeCreditsMicros + feesMicros;
  }
}
