package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.SignedReceipt;
import dev.pinaivu.core.translog.LogVerifier;
import dev.pinaivu.core.translog.Verdict;
import java.util.List;

/**
 * The transparency-log part of a receipt check: the {@code log} member's checkpoint must be signed
 * by a trusted coordinator key and its inclusion path must lead from this receipt's leaf to that
 * checkpoint's root (docs/transparency-log.md §8). A receipt without a checkpoint yet is not
 * invalid, and the verdict says it is not proven logged.
 */
final class LogCheck {
  private LogCheck() {}

  /**
   * The suffix for a valid receipt's line ({@code "; logged: …"}), empty when it has no log member;
   * a rejection when its evidence fails.
   */
  static Verdict check(byte[] envelope, List<CoordinatorKey> trusted, StringBuilder suffix) {
    JsonNode log;
    byte[] entry;
    try {
      JsonNode parsed = Json.parse(envelope);
      log = parsed.get("log");
      if (log == null) {
        return Verdict.accept();
      }
      entry = Json.MAPPER.treeToValue(parsed, SignedReceipt.class).logEntry();
    } catch (Exception e) { // the receipt itself verified; only its log member can be off
      return Verdict.reject("log: cannot read the receipt's log member: " + e.getMessage());
    }
    if (!log.path("checkpoint").isTextual()) {
      suffix.append("; log index ").append(log.path("index").asText("?"));
      suffix.append(", not yet in a signed checkpoint (fetch it again to prove it logged)");
      return Verdict.accept();
    }
    Verdict verdict = new LogVerifier(trusted).inclusion(entry, log);
    if (verdict.accepted()) {
      suffix
          .append("; logged: leaf ")
          .append(log.path("index").asLong())
          .append(" of the signed tree of ")
          .append(log.path("tree_size").asLong());
    }
    return verdict;
  }
}
