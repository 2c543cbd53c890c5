package dev.pinaivu.core.limits;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.id.RequestId;

/**
 * Port: money held for requests in flight, so that credit and key budgets are hard caps. Before a
 * job is dispatched, admission holds its dispatch token's most possible charge against the
 * account's balance and the key's budget; settlement, which never bills more than that token
 * allows, gives the hold back once the money moved. No account goes below zero and no key above its
 * budget, however many requests race. Every adapter passes {@code ReservationsContract}.
 */
public interface Reservations {
  /**
   * Holds {@code micros} for {@code requestId}: raises its hold to that amount when smaller (a
   * failover to a dearer node), keeps it when larger.
   *
   * @throws InsufficientCreditException when the account's balance or the key's budget, less what
   *     is held already, cannot cover it; nothing changes then
   */
  void hold(RequestId requestId, Caller caller, long micros);

  /**
   * Gives the hold of {@code requestId} back; call once its settlement is recorded (or once it can
   * bill nothing). Releasing a request that holds nothing changes nothing.
   */
  void release(RequestId requestId);

  /**
   * Takes a hold without checking that it fits: for a settlement owed since before a restart, whose
   * hold was taken then and whose money is as good as spent.
   */
  void restore(RequestId requestId, String accountId, String keyId, long micros);

  /** What is held for {@code accountId} now, in µUSD. */
  long heldMicros(String accountId);
}
