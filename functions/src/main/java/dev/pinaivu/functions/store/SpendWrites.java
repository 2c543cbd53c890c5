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
 * A request's charge to its key's spend inside a transaction, shared by the key spend and the
 * settlement record: the request's record {@code REQ#<id>/SPEND} (on condition that it does not
 * exist: once per request) and {@code ADD spent, committed} on the key's total, on condition that
 * the spend stays within 2^63 − 1 µUSD. {@code committed} is spent plus held: what a hold against
 * the key's budget compares with.
 */
final class SpendWrites {
  static final String SPENT = "spent";
  static final String COMMITTED = "committed";
  static final String KEY = "key";
  static final String MICROS = "micros";

  /** The request's record's action name. */
  static final String RECORD = "spend";

  /** The key total's action name. */
  static final String TOTAL = "spend total";

  private SpendWrites() {}

  static void record(Transaction tx, String keyId, RequestId requestId, long micros) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.spend(requestId));
    item.put(KEY, s(keyId));
    item.put(MICROS, n(micros));
    tx.put(RECORD, item, new Conditions().absent());
    tx.update(TOTAL, NetworkKeys.spendTotal(keyId))
        .add(SPENT, micros)
        .add(COMMITTED, micros)
        .require()
        .atMost(SPENT, Long.MAX_VALUE - micros);
  }

  /**
   * Reads a cancellation: true when the request was recorded before with the same key and amount;
   * throws when with others, or when the total would overflow; false when neither part failed.
   */
  static boolean recordedBefore(Cancellation c, String keyId, RequestId requestId, long micros) {
    if (c.failed(RECORD)) {
      Map<String, AttributeValue> recorded = c.item(RECORD);
      if (!keyId.equals(string(recorded, KEY)) || longOf(recorded, MICROS) != micros) {
        throw new IllegalArgumentException(
            "request "
                + requestId
                + " was recorded as "
                + longOf(recorded, MICROS)
                + " µUSD for "
                + string(recorded, KEY)
                + ", not "
                + micros
                + " µUSD for "
                + keyId);
      }
      return true;
    }
    if (c.failed(TOTAL)) {
      throw new ArithmeticException(
          "adding "
              + micros
              + " µUSD to the spend of key "
              + keyId
              + " ("
              + longOf(c.item(TOTAL), SPENT)
              + " µUSD) would overflow; nothing was recorded");
    }
    return false;
  }
}
