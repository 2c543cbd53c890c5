package dev.pinaivu.functions.store;

import static dev.pinaivu.functions.store.Attributes.longOf;
import static dev.pinaivu.functions.store.Attributes.n;
import static dev.pinaivu.functions.store.Attributes.s;
import static dev.pinaivu.functions.store.Attributes.string;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.usage.ReceiptFigures;
import dev.pinaivu.core.usage.StoredReceipt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A stored receipt as its item {@code REQ#<id>/RECEIPT}: the signed receipt as text, beside the
 * figures copied from it, which gsi1 ({@code ACCT#<account>}, by issue time) also carries so that
 * usage never reads the signed receipts. A receipt the coordinator logged is also in gsi2 by its
 * log index ({@code LOGIDX#<index mod 16>}, the index as a number), for {@code loggedFrom}.
 */
final class ReceiptItems {
  static final String ACCOUNT = "account";
  static final String KEY = "key";
  static final String MODEL = "model";
  static final String NODE = "node";
  static final String OUTCOME = "outcome";
  static final String ISSUED = "issued_ms";
  static final String PROMPT = "prompt";
  static final String COMPLETION = "completion";
  static final String CHARGED = "charged";
  static final String SIGNED = "signed";

  /** The attributes gsi1 projects: what {@link ReceiptFigures} holds. */
  static final List<String> FIGURES = List.of(KEY, MODEL, ISSUED, PROMPT, COMPLETION, CHARGED);

  private static final String PARTITION_PREFIX = "REQ#";

  private ReceiptItems() {}

  static Map<String, AttributeValue> item(StoredReceipt r) {
    Map<String, AttributeValue> item = new HashMap<>(NetworkKeys.receipt(r.requestId()));
    item.put(ACCOUNT, s(r.accountId()));
    item.put(KEY, s(r.keyId()));
    item.put(MODEL, s(r.model()));
    item.put(NODE, s(r.nodeId()));
    item.put(OUTCOME, s(r.outcome()));
    item.put(ISSUED, n(r.issuedAtMs()));
    item.put(PROMPT, n(r.promptTokens()));
    item.put(COMPLETION, n(r.completionTokens()));
    item.put(CHARGED, n(r.totalChargedMicros()));
    item.put(SIGNED, s(r.signedReceipt()));
    item.put(NetworkTable.GSI1_PK, s(NetworkKeys.accountIndex(r.accountId())));
    item.put(
        NetworkTable.GSI1_SK, s(SortableTime.of(r.issuedAtMs()) + "#" + r.requestId().value()));
    r.logIndex()
        .ifPresent(index -> {
          item.put(NetworkTable.GSI2_PK, s(NetworkKeys.logIndex(index)));
          item.put(NetworkTable.GSI2_SK, n(index));
        });
    return item;
  }

  static StoredReceipt receipt(Map<String, AttributeValue> item) {
    return new StoredReceipt(
        requestId(item),
        string(item, ACCOUNT),
        string(item, KEY),
        string(item, MODEL),
        string(item, NODE),
        string(item, OUTCOME),
        longOf(item, ISSUED),
        longOf(item, PROMPT),
        longOf(item, COMPLETION),
        longOf(item, CHARGED),
        string(item, SIGNED));
  }

  /** The figures from an item of gsi1, which holds only the keys and {@link #FIGURES}. */
  static ReceiptFigures figures(Map<String, AttributeValue> indexed) {
    return new ReceiptFigures(
        requestId(indexed),
        string(indexed, KEY),
        string(indexed, MODEL),
        longOf(indexed, ISSUED),
        longOf(indexed, PROMPT),
        longOf(indexed, COMPLETION),
        longOf(indexed, CHARGED));
  }

  private static RequestId requestId(Map<String, AttributeValue> item) {
    return RequestId.parse(string(item, NetworkTable.PK).substring(PARTITION_PREFIX.length()));
  }
}
