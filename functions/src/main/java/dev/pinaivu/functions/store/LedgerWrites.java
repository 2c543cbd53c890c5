package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.LedgerItems.AVAILABLE;
import static dev.pinaivu.functions.store.LedgerItems.CHARGED;
import static dev.pinaivu.functions.store.LedgerItems.EARNED;
import static dev.pinaivu.functions.store.LedgerItems.MICROS;

import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.BalanceOverflowException;
import dev.pinaivu.core.ledger.JournalEntry;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.TopUp;
import java.util.List;

/**
 * The writes of one ledger movement inside a transaction, shared by the ledger and the settlement
 * record: the journal entries, and on each balance an {@code ADD} on condition that it stays within
 * ±(2^63 − 1) µUSD (a bound computed here, since a condition cannot compute). A client's {@code
 * available} moves with its balance. The fee account's shards are each bounded by a 32nd of the
 * range, so that their sum, the fee balance, stays within it.
 */
final class LedgerWrites {
  static final long FEE_SHARD_MAX = Long.MAX_VALUE / NetworkKeys.FEE_SHARDS;

  private LedgerWrites() {}

  /** The top-up record's action name. */
  static final String TOP_UP = "topup";

  /** The settlement record's action name. */
  static final String SETTLED = "settled";

  static void credit(Transaction tx, TopUp topUp, long atMs) {
    tx.put(TOP_UP, LedgerItems.topUp(topUp, atMs), new Conditions().absent());
    for (JournalEntry e : topUp.entries(atMs)) {
      move(tx, e, 0);
    }
  }

  static void settle(Transaction tx, Settlement settlement, long atMs) {
    tx.put(SETTLED, LedgerItems.settled(settlement, atMs), new Conditions().absent());
    int shard = NetworkKeys.feeShard(settlement.requestId());
    for (JournalEntry e : settlement.entries(atMs)) {
      move(tx, e, shard);
    }
    tx.update(balanceName(AccountId.FEE), NetworkKeys.balance(AccountId.FEE, shard))
        .add(CHARGED, settlement.totalMicros())
        .add(EARNED, settlement.nodeMicros());
  }

  /**
   * Throws the overflow of the first entry whose balance refused it; returns when none did (then a
   * balance changed meanwhile, and the caller tries again).
   */
  static void refuseOverflow(Cancellation c, List<JournalEntry> entries, int feeShard) {
    for (JournalEntry e : entries) {
      String name = balanceName(e.account());
      if (!c.failed(name)) {
        continue;
      }
      long balance = Attributes.longOf(c.item(name), MICROS);
      if (e.account().kind() == AccountId.Kind.FEE) {
        throw new BalanceOverflowException(
            "moving "
                + e.amountMicros()
                + " µUSD on fee would take its shard "
                + feeShard
                + " of "
                + balance
                + " µUSD past "
                + FEE_SHARD_MAX
                + " µUSD (a "
                + NetworkKeys.FEE_SHARDS
                + "th of the 64-bit range); nothing was applied");
      }
      e.applyTo(balance); // throws when it still overflows
    }
  }

  private static void move(Transaction tx, JournalEntry e, int feeShard) {
    boolean fee = e.account().kind() == AccountId.Kind.FEE;
    int shard = fee ? feeShard : 0;
    tx.put("entry " + e.account(), LedgerItems.entry(e, shard), new Conditions());
    long amount = e.amountMicros();
    ItemUpdate balance =
        tx.update(balanceName(e.account()), NetworkKeys.balance(e.account(), shard))
            .add(MICROS, amount);
    if (e.account().kind() == AccountId.Kind.CLIENT) {
      balance.add(AVAILABLE, amount);
    }
    long max = fee ? FEE_SHARD_MAX : Long.MAX_VALUE;
    if (amount > 0) {
      balance.require().atMost(MICROS, max - amount);
    } else if (amount < 0) {
      balance.require().atLeast(MICROS, -max - amount);
    }
  }

  static String balanceName(AccountId account) {
    return "balance " + account;
  }
}
