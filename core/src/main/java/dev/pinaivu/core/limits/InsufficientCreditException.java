package dev.pinaivu.core.limits;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.money.Usd;

/**
 * 429 {@code insufficient_quota}: the request's most possible cost does not fit in what the account
 * or the key has left once the requests in flight are held for. Says how much that is, so a client
 * can lower {@code max_tokens} or add credit.
 */
public final class InsufficientCreditException extends ApiException {
  private InsufficientCreditException(String message) {
    super(ErrorKind.INSUFFICIENT_QUOTA, message, null, ErrorKind.INSUFFICIENT_QUOTA.type());
  }

  /** The account cannot cover {@code needed}: it has {@code available} once holds are counted. */
  public static InsufficientCreditException account(String accountId, long needed, long available) {
    return new InsufficientCreditException(
        "You exceeded your current quota: this request may cost up to $"
            + Usd.format(needed)
            + " (its prompt and max_tokens at the node's price), but the account "
            + accountId
            + " has $"
            + Usd.format(Math.max(0, available))
            + " available once requests in flight are held for. Lower max_tokens or add"
            + " credit.");
  }

  /** The key's budget cannot cover {@code needed}: {@code available} is left once holds count. */
  public static InsufficientCreditException key(String keyId, long needed, long available) {
    return new InsufficientCreditException(
        "This API key has used its budget: this request may cost up to $"
            + Usd.format(needed)
            + ", but key "
            + keyId
            + " has $"
            + Usd.format(Math.max(0, available))
            + " of its budget left once requests in flight are held for. Lower max_tokens or"
            + " use another key.");
  }
}
