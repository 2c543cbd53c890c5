package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.json.StrictJson;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.translog.LogEvidence;
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
  static Verdict check(
      byte[] envelope, List<CoordinatorKey> trusted, String origin, StringBuilder suffix) {
    JsonNode parsed = StrictJson.parse(envelope); // the receipt verified, so this parse cannot fail
    if (!parsed.has("log")) {
      return Verdict.accept();
    }
    LogEvidence log;
    try {
      log = LogEvidence.read(parsed.get("log"));
    } catch (IllegalArgumentException e) {
      return Verdict.reject("log: " + e.getMessage());
    }
    if (!log.checkpointed()) {
      suffix.append("; log index ").append(log.index());
      suffix.append(", not yet in a signed checkpoint (fetch it again to prove it logged)");
      return Verdict.accept();
    }
    Verdict verdict = new LogVerifier(trusted, origin).inclusion(logEntry(parsed), log);
    if (verdict.accepted()) {
      suffix
          .append("; logged: leaf ")
          .append(log.index())
          .append(" of the signed tree of ")
          .append(log.treeSize());
    }
    return verdict;
  }

  /**
   * The log entry, JCS of the four signed envelope members exactly as received (unknown members of
   * the receipt included, since they are signed): docs/receipts.md §9.1.
   */
  private static byte[] logEntry(JsonNode envelope) {
    ObjectNode entry = Json.object();
    for (String member : new String[] {"alg", "key_id", "receipt", "signature"}) {
      entry.set(member, envelope.get(member));
    }
    return CanonicalJson.bytes(entry);
  }
}
