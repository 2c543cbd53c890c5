package dev.pinaivu.core.limits;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import dev.pinaivu.core.money.Usd;

/**
 * Money before work: a request is refused with 429 {@code insufficient_quota} (as OpenAI does when
 * credit runs out) when its account has no credit left, or its key has spent its budget. Checks the
 * balance, not the request's price: the price depends on the node chosen later and on the tokens
 * produced, so an account may end one request's worth below zero (ADR 6), never more per request in
 * flight.
 */
public final class Quota {
  private final Ledger ledger;
  private final KeySpend spend;

  public Quota(Ledger ledger, KeySpend spend) {
    this.ledger = ledger;
    this.spend = spend;
  }

  public void require(Caller caller) {
    if (balance(caller.accountId()) <= 0) {
      throw insufficient(
          "You exceeded your current quota: the account "
              + caller.accountId()
              + " has no credit left. Add credit to the account to continue.");
    }
    if (caller.budgetMicros() != null) {
      long spent = spend.spentMicros(caller.keyId());
      if (spent >= caller.budgetMicros()) {
        throw insufficient(
            "This API key has used its budget: spent $"
                + Usd.format(spent)
                + " of $"
                + Usd.format(caller.budgetMicros())
                + ". Use another key or ask for a larger budget.");
      }
    }
  }

  /** A key bound to something that is not a client account can spend nothing. */
  private long balance(String accountId) {
    AccountId account;
    try {
      account = AccountId.client(accountId);
    } catch (IllegalArgumentException e) {
      return 0;
    }
    return ledger.balance(account);
  }

  private static ApiException insufficient(String message) {
    return new ApiException(
        ErrorKind.INSUFFICIENT_QUOTA, message, null, ErrorKind.INSUFFICIENT_QUOTA.type());
  }
}
