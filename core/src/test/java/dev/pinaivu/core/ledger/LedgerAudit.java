package dev.pinaivu.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** The invariant checks of a ledger, for any test that moves money through one. */
public final class LedgerAudit {
  private LedgerAudit() {}

  /**
   * Checks the books of {@code clients} and {@code nodes} (every account with entries) together
   * with the fee and external accounts: every balance is the sum of its entries, all balances sum
   * to zero, and the totals agree with the balances.
   */
  public static void assertBooksBalance(
      Ledger ledger, List<AccountId> clients, List<AccountId> nodes) {
    List<AccountId> all = new ArrayList<>(clients);
    all.addAll(nodes);
    all.add(AccountId.FEE);
    all.add(AccountId.EXTERNAL);
    long sumOfBalances = 0;
    for (AccountId account : all) {
      long sumOfEntries =
          ledger.entries(account, Long.MIN_VALUE, Long.MAX_VALUE).stream()
              .mapToLong(JournalEntry::amountMicros)
              .sum();
      assertThat(ledger.balance(account)).as("balance of %s", account).isEqualTo(sumOfEntries);
      sumOfBalances += sumOfEntries;
    }
    assertThat(sumOfBalances).as("sum of all balances").isZero();

    LedgerTotals totals = ledger.totals();
    long clientBalances = clients.stream().mapToLong(ledger::balance).sum();
    long nodeBalances = nodes.stream().mapToLong(ledger::balance).sum();
    assertThat(totals.balanced()).as("debits = node credits + fees: %s", totals).isTrue();
    assertThat(totals.topUpsMicros()).isEqualTo(-ledger.balance(AccountId.EXTERNAL));
    assertThat(totals.feesMicros()).isEqualTo(ledger.balance(AccountId.FEE));
    assertThat(totals.nodeCreditsMicros()).isEqualTo(nodeBalances);
    assertThat(totals.clientDebitsMicros()).isEqualTo(totals.topUpsMicros() - clientBalances);
  }
}
