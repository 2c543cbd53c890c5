package dev.pinaivu.core.usage;

import dev.pinaivu.core.id.RequestId;
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
}
