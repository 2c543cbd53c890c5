package dev.pinaivu.core.usage;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.List;
import java.util.Optional;

/** Port: where the gateway keeps signed receipts (SQLite locally, DynamoDB on AWS). */
public interface ReceiptStore {
  /**
   * Stores a receipt once: a second save for the same request id changes nothing and returns false
   * (receipts are never rewritten).
   */
  boolean save(StoredReceipt receipt);

  Optional<StoredReceipt> find(RequestId requestId);

  /**
   * The account's receipts with {@code fromMs <= issuedAtMs < toMs}, oldest first (then by request
   * id); empty when {@code fromMs == toMs}.
   *
   * @throws IllegalArgumentException when {@code fromMs > toMs}
   */
  List<StoredReceipt> list(String accountId, long fromMs, long toMs);

  /**
   * The signed receipts whose coordinator-given log index ({@code log.index} in the stored
   * envelope) is at least {@code index}, by that index: after a coordinator crash, those its log
   * may have lost ({@code LogSync}). Receipts stored without a log index are never listed.
   */
  List<SignedReceipt> loggedFrom(long index);

  /**
   * The figures of the receipts {@link #list} would return, in the same order: what usage reports
   * sum. A store that can answer from an index overrides this to skip reading whole receipts.
   *
   * @throws IllegalArgumentException when {@code fromMs > toMs}
   */
  default List<ReceiptFigures> figures(String accountId, long fromMs, long toMs) {
    return list(accountId, fromMs, toMs).stream().map(ReceiptFigures::of).toList();
  }
}
