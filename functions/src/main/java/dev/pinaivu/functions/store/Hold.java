package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.id.RequestId;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The money held for one request in flight, as its item {@code REQ#<id>/HOLD}, and the writes that
 * take and give it back inside a transaction. Taking a hold lowers the account's {@code available}
 * and raises the key's {@code committed} by its amount; giving it back does the opposite. Every
 * write of the hold item is conditioned on the amount read before, so two processes changing one
 * hold never both apply their difference.
 */
record Hold(RequestId requestId, String accountId, String keyId, long micros) {
  static final String ACCOUNT = "account";
  static final String KEY = "key";
  static final String MICROS = "micros";

  /** The hold item's action name. */
  static final String ITEM = "hold";

  /** The account balance's action name, when a hold moves {@code available}. */
  static final String BALANCE = "hold balance";

  /** The key total's action name, when a hold moves {@code committed}. */
  static final String BUDGET = "hold budget";

  static Hold of(RequestId requestId, Map<String, AttributeValue> item) {
    return item == null
        ? null
        : new Hold(requestId, string(item, ACCOUNT), string(item, KEY), longOf(item, MICROS));
  }

  Map<String, AttributeValue> item() {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.hold(requestId));
    item.put(ACCOUNT, s(accountId));
    item.put(KEY, s(keyId));
    item.put(MICROS, n(micros));
    return item;
  }

  /** The update of the account's {@code available} in {@code tx}. */
  ItemUpdate balance(Transaction tx) {
    return tx.update(BALANCE, NetworkKeys.clientBalance(accountId));
  }

  /** The update of the key's {@code committed} in {@code tx}. */
  ItemUpdate budget(Transaction tx) {
    return tx.update(BUDGET, NetworkKeys.spendTotal(keyId));
  }

  /** Takes {@code delta} more: less available on the account, more committed on the key. */
  void take(Transaction tx, long delta) {
    balance(tx).add(LedgerItems.AVAILABLE, -delta);
    budget(tx).add(SpendWrites.COMMITTED, delta);
  }

  /** Gives this hold back: deletes it, on condition that it is still this one, and its money. */
  void release(Transaction tx) {
    tx.delete(ITEM, NetworkKeys.hold(requestId), new Conditions().equal(MICROS, n(micros)));
    take(tx, -micros);
  }
}
