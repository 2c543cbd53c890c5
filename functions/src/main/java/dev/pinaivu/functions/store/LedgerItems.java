package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.ledger.AccountId;
import dev.pinaivu.core.ledger.EntryKind;
import dev.pinaivu.core.ledger.JournalEntry;
import dev.pinaivu.core.ledger.Settlement;
import dev.pinaivu.core.ledger.SettlementResult;
import dev.pinaivu.core.ledger.TopUp;
import dev.pinaivu.core.ledger.TopUpResult;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ledger's items (ADR 21): a balance per account ({@code micros}; a client's also {@code
 * available}, what holds have left; the fee account's shards also {@code charged} and {@code
 * earned}, the sums behind the ledger's totals), a journal entry per account and movement, the
 * top-up and settlement records that make each movement happen once.
 */
final class LedgerItems {
  static final String MICROS = "micros";
  static final String AVAILABLE = "available";
  static final String CHARGED = "charged";
  static final String EARNED = "earned";
  static final String ACCOUNT = "account";
  static final String AMOUNT = "amount";
  static final String KIND = "kind";
  static final String REFERENCE = "reference";
  static final String AT = "at_ms";
  static final String CLIENT = "client";
  static final String NODE = "node";
  static final String TOTAL = "total";
  static final String NODE_AMOUNT = "node_amount";
  static final String FEE = "fee";

  private LedgerItems() {}

  static Map<String, AttributeValue> topUp(TopUp topUp, long atMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.topUp(topUp.reference()));
    item.put(ACCOUNT, s(topUp.account().value()));
    item.put(AMOUNT, n(topUp.amountMicros()));
    item.put(AT, n(atMs));
    return item;
  }

  static TopUpResult recordedTopUp(String reference, Map<String, AttributeValue> item) {
    TopUp recorded =
        new TopUp(AccountId.parse(string(item, ACCOUNT)), longOf(item, AMOUNT), reference);
    return new TopUpResult(TopUpResult.Status.ALREADY_CREDITED, recorded, longOf(item, AT));
  }

  static Map<String, AttributeValue> settled(Settlement s, long atMs) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.settled(s.requestId()));
    item.put(CLIENT, s(s.client().value()));
    item.put(NODE, s(s.node().value()));
    item.put(TOTAL, n(s.totalMicros()));
    item.put(NODE_AMOUNT, n(s.nodeMicros()));
    item.put(FEE, n(s.feeMicros()));
    item.put(AT, n(atMs));
    return item;
  }

  static SettlementResult recordedSettlement(RequestId id, Map<String, AttributeValue> item) {
    return new SettlementResult(
        SettlementResult.Status.ALREADY_SETTLED, settlement(id, item), longOf(item, AT));
  }

  static Settlement settlement(RequestId id, Map<String, AttributeValue> item) {
    return new Settlement(
        id,
        AccountId.parse(string(item, CLIENT)),
        AccountId.parse(string(item, NODE)),
        longOf(item, TOTAL),
        longOf(item, NODE_AMOUNT),
        longOf(item, FEE));
  }

  /** A journal entry; a fee entry goes to the fee journal's {@code shard}. */
  static Map<String, AttributeValue> entry(JournalEntry e, int shard) {
    Map<String, AttributeValue> item =
        new HashMap<>(
            NetworkKeys.key(
                NetworkKeys.journalPartition(e.account(), shard),
                SortableTime.of(e.atMs()) + "#" + e.reference() + "#" + e.kind().name()));
    item.put(ACCOUNT, s(e.account().value()));
    item.put(AMOUNT, n(e.amountMicros()));
    item.put(KIND, s(e.kind().name()));
    item.put(REFERENCE, s(e.reference()));
    item.put(AT, n(e.atMs()));
    return item;
  }

  static JournalEntry entry(Map<String, AttributeValue> item) {
    return new JournalEntry(
        AccountId.parse(string(item, ACCOUNT)),
        longOf(item, AMOUNT),
        EntryKind.valueOf(string(item, KIND)),
        string(item, REFERENCE),
        longOf(item, AT));
  }
}
