package dev.pinaivu.core.translog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Optional;

/**
 * Fills a receipt's unsigned {@code log} member with what proves it was logged: {@code {index,
 * tree_size, inclusion_path, checkpoint}} against the latest signed checkpoint, once one covers the
 * receipt's leaf; until then only the {@code index} the coordinator gave at settlement. The leaf at
 * that index must be this receipt's entry; otherwise no proof is offered.
 */
public final class ReceiptEvidence {
  private final TransparencyLog log;

  public ReceiptEvidence(TransparencyLog log) {
    this.log = log;
  }

  public SignedReceipt attach(SignedReceipt receipt) {
    JsonNode given = receipt.log() == null ? null : receipt.log().get("index");
    if (given == null || !given.canConvertToLong() || given.longValue() < 0) {
      return receipt;
    }
    long index = given.longValue();
    ObjectNode evidence = Json.object().put("index", index);
    Optional<SignedCheckpoint> latest = log.latestCheckpoint();
    if (latest.isPresent() && index < latest.get().checkpoint().treeSize()) {
      long size = latest.get().checkpoint().treeSize();
      if (Hash.leaf(log.entry(index)).equals(Hash.leaf(receipt.logEntry()))) {
        evidence.put("tree_size", size);
        ArrayNode path = evidence.putArray("inclusion_path");
        log.inclusionProof(index, size).path().forEach(h -> path.add(h.base64()));
        evidence.put("checkpoint", latest.get().format());
      }
    }
    return receipt.withLog(evidence);
  }
}
