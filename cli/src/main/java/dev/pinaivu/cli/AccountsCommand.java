package dev.pinaivu.cli;

import dev.pinaivu.core.id.Ulid;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.ledger.LedgerConflictException;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import dev.pinaivu.core.money.Usd;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pinaivu accounts credit|balance}: prepaid credit of client accounts, on the data
 * directory.
 */
@Command(
    name = "accounts",
    mixinStandardHelpOptions = true,
    description = "Add prepaid credit to accounts and read balances.",
    subcommands = {AccountsCommand.Credit.class, AccountsCommand.Balance.class})
final class AccountsCommand {
  @Command(
      name = "credit",
      mixinStandardHelpOptions = true,
      description =
          "Add credit to an account, once per reference: the same reference again changes"
              + " nothing.")
  static final class Credit implements Callable<Integer> {
    @Mixin DataStore store;

    @Option(names = "--account", required = true, description = "Client account (acct_...)")
    String account;

    @Option(
        names = "--amount",
        required = true,
        paramLabel = "USD",
        description = "Dollars, e.g. 5.00: digits, optionally a point and 1 to 6 decimals")
    String amount;

    @Option(
        names = "--reference",
        description = "Idempotency key, e.g. a payment id (default: a new one, printed)")
    String reference;

    @Override
    public Integer call() {
      TopUp topUp;
      String ref = reference != null ? reference : "cli-" + Ulid.next();
      long micros;
      try {
        micros = Usd.parseMicros(amount);
      } catch (IllegalArgumentException e) {
        System.err.println("cannot credit: --amount: " + e.getMessage());
        return KeysCommand.USAGE;
      }
      try {
        topUp = new TopUp(AccountId.client(account), micros, ref);
      } catch (IllegalArgumentException e) {
        System.err.println("cannot credit: " + e.getMessage());
        return KeysCommand.USAGE;
      }
      try (DataStore.Opened db = store.openOrCreate()) {
        Ledger ledger = db.ledger();
        TopUpResult result;
        try {
          result = ledger.credit(topUp);
        } catch (LedgerConflictException e) {
          System.err.println("cannot credit: " + e.getMessage());
          return KeysCommand.REFUSED;
        }
        String done =
            result.status() == TopUpResult.Status.APPLIED
                ? "credited $" + Usd.format(topUp.amountMicros()) + " to " + account
                : "already credited (nothing changed)";
        System.out.println(
            done
                + "; reference "
                + ref
                + "; balance $"
                + Usd.format(ledger.balance(topUp.account())));
        return 0;
      }
    }
  }

  @Command(name = "balance", mixinStandardHelpOptions = true, description = "Print a balance.")
  static final class Balance implements Callable<Integer> {
    @Mixin DataStore store;

    @Option(names = "--account", required = true, description = "Client account (acct_...)")
    String account;

    @Override
    public Integer call() {
      try (DataStore.Opened db = store.openExisting()) {
        long micros = db.ledger().balance(AccountId.client(account));
        System.out.println(account + "  $" + Usd.format(micros));
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return KeysCommand.REFUSED;
      }
    }
  }
}
