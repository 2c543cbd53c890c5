package dev.pinaivu.core.limits;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.Ledger;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Reservations} for one gateway process, in memory, against the durable {@link Ledger} and
 * {@link KeySpend}: a hold fits when balance − held ≥ amount (and spend + held ≤ budget for the
 * key), checked and taken under the account's lock. The holds themselves are not durable: a
 * restarted gateway has no request in flight, except the settlements it still owes, whose holds it
 * takes again from their tokens before it serves ({@code RequestSettler#restoreHolds}).
 */
public final class LedgerReservations implements Reservations {
  private record Held(String accountId, String keyId, long micros) {}

  private final Ledger ledger;
  private final KeySpend spend;
  private final Map<RequestId, Held> holds = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Long> byAccount = new HashMap<>();
  private final Map<String, Long> byKey = new HashMap<>();

  public LedgerReservations(Ledger ledger, KeySpend spend) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.spend = Objects.requireNonNull(spend, "spend");
  }

  @Override
  public void hold(RequestId requestId, Caller caller, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("a hold cannot be negative: " + micros);
    }
    synchronized (lock(caller.accountId())) {
      Held current = holds.get(requestId);
      long raise = micros - (current == null ? 0 : current.micros());
      if (raise <= 0) {
        return;
      }
      long available = balance(caller.accountId()) - sum(byAccount, caller.accountId());
      if (raise > available) {
        throw InsufficientCreditException.account(caller.accountId(), micros, available);
      }
      if (caller.budgetMicros() != null) {
        long left =
            caller.budgetMicros() - spend.spentMicros(caller.keyId()) - sum(byKey, caller.keyId());
        if (raise > left) {
          throw InsufficientCreditException.key(caller.keyId(), micros, left);
        }
      }
      holds.put(requestId, new Held(caller.accountId(), caller.keyId(), micros));
      add(byAccount, caller.accountId(), raise);
      add(byKey, caller.keyId(), raise);
    }
  }

  @Override
  public void restore(RequestId requestId, String accountId, String keyId, long micros) {
    synchronized (lock(accountId)) {
      if (holds.putIfAbsent(requestId, new Held(accountId, keyId, micros)) == null) {
        add(byAccount, accountId, micros);
        add(byKey, keyId, micros);
      }
    }
  }

  @Override
  public void release(RequestId requestId) {
    Held held = holds.get(requestId);
    if (held == null) {
      return;
    }
    synchronized (lock(held.accountId())) {
      if (holds.remove(requestId, held)) {
        add(byAccount, held.accountId(), -held.micros());
        add(byKey, held.keyId(), -held.micros());
      }
    }
  }

  @Override
  public long heldMicros(String accountId) {
    synchronized (lock(accountId)) {
      return sum(byAccount, accountId);
    }
  }

  /** A key bound to something that is not a client account has nothing to spend. */
  private long balance(String accountId) {
    try {
      return ledger.balance(AccountId.client(accountId));
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private Object lock(String accountId) {
    return locks.computeIfAbsent(accountId, id -> new Object());
  }

  // the totals are guarded by the account's lock; a key spends from one account only
  private static long sum(Map<String, Long> totals, String id) {
    synchronized (totals) {
      return totals.getOrDefault(id, 0L);
    }
  }

  private static void add(Map<String, Long> totals, String id, long delta) {
    synchronized (totals) {
      long next = totals.getOrDefault(id, 0L) + delta;
      if (next == 0) {
        totals.remove(id);
      } else {
        totals.put(id, next);
      }
    }
  }
}
