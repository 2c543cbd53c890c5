package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.clamped;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.number;

import dev.pinaivu.core.auth.Caller;
import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.limits.InsufficientCreditException;
import dev.pinaivu.core.limits.Reservations;
import java.math.BigInteger;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link Reservations} on the network table, shared by every process: a hold is the item {@code
 * REQ#<id>/HOLD}, and its money is already out of the account's {@code available} (balance less
 * what is held) and in the key's {@code committed} (spend plus what is held). Every ledger write
 * keeps {@code available} beside the balance, and every spend write {@code committed} beside the
 * spend, so that taking a hold is one transaction whose conditions are plain comparisons: {@code
 * available >= amount} and, for a key with a budget, {@code committed <= budget − amount}. No
 * balance is read for admission: the condition is the check, and two processes racing for the last
 * credit cannot both win. The settlement record gives the hold back in its own transaction ({@link
 * DynamoDbSettlementRecords}); a {@link #release} after it finds nothing and changes nothing.
 */
public final class DynamoDbReservations implements Reservations {
  private static final int MAX_ATTEMPTS = 20;

  private final NetworkTable table;

  public DynamoDbReservations(DynamoDbClient dynamo, String table) {
    this.table = new NetworkTable(dynamo, table);
  }

  @Override
  public void hold(RequestId requestId, Caller caller, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("a hold cannot be negative: " + micros);
    }
    String operation = "hold for " + requestId;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Hold current = read(requestId);
      long raise = micros - (current == null ? 0 : current.micros());
      if (raise <= 0) {
        return;
      }
      Hold wanted = new Hold(requestId, caller.accountId(), caller.keyId(), micros);
      Transaction tx = table.transaction();
      Conditions same =
          current == null
              ? new Conditions().absent()
              : new Conditions().equal(Hold.MICROS, n(current.micros()));
      tx.put(Hold.ITEM, wanted.item(), same);
      wanted.take(tx, raise);
      wanted.balance(tx).require().atLeast(LedgerItems.AVAILABLE, raise);
      if (caller.budgetMicros() != null) {
        wanted.budget(tx).require().atMost(SpendWrites.COMMITTED, caller.budgetMicros() - raise);
      }
      Cancellation refused = table.transact(operation, tx);
      if (refused == null) {
        return;
      }
      if (refused.failed(Hold.BALANCE)) {
        throw InsufficientCreditException.account(
            caller.accountId(), micros, available(refused.item(Hold.BALANCE)));
      }
      if (refused.failed(Hold.BUDGET)) {
        BigInteger committed = number(refused.item(Hold.BUDGET), SpendWrites.COMMITTED);
        long left = clamped(BigInteger.valueOf(caller.budgetMicros()).subtract(committed));
        throw InsufficientCreditException.key(caller.keyId(), micros, left);
      }
      // the hold changed since it was read (another process raised it): read it again
    }
    throw new NetworkStoreException(operation, "the hold kept changing under it");
  }

  @Override
  public void release(RequestId requestId) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Hold current = read(requestId);
      if (current == null) {
        return;
      }
      Transaction tx = table.transaction();
      current.release(tx);
      if (table.transact("release the hold of " + requestId, tx) == null) {
        return;
      }
    }
    throw new NetworkStoreException(
        "release the hold of " + requestId, "the hold kept changing under it");
  }

  /**
   * Takes the hold unchecked, unless the request holds already or is settled: a hold restored for a
   * settlement another process has just recorded would never be given back.
   */
  @Override
  public void restore(RequestId requestId, String accountId, String keyId, long micros) {
    Hold restored = new Hold(requestId, accountId, keyId, micros);
    Transaction tx = table.transaction();
    tx.put(Hold.ITEM, restored.item(), new Conditions().absent());
    restored.take(tx, micros);
    tx.check("not settled", NetworkKeys.settled(requestId), new Conditions().absent());
    table.transact("restore the hold of " + requestId, tx); // refused: nothing to restore
  }

  @Override
  public long heldMicros(String accountId) {
    Map<String, AttributeValue> balance =
        table.get("read the holds of " + accountId, NetworkKeys.clientBalance(accountId));
    return clamped(
        number(balance, LedgerItems.MICROS).subtract(number(balance, LedgerItems.AVAILABLE)));
  }

  private Hold read(RequestId requestId) {
    return Hold.of(
        requestId, table.get("read the hold of " + requestId, NetworkKeys.hold(requestId)));
  }

  private static long available(Map<String, AttributeValue> balance) {
    return clamped(number(balance, LedgerItems.AVAILABLE));
  }
}
