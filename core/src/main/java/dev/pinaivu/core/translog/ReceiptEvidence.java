package dev.pinaivu.core.translog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.SignedReceipt;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fills a receipt's unsigned {@code log} member with what proves it was logged: {@code {index,
 * tree_size, inclusion_path, checkpoint}} against the latest signed checkpoint, once one covers the
 * receipt's leaf; until then only the {@code index} the coordinator gave at settlement. The leaf is
 * looked up by the hash of this receipt's entry, never trusted from the index.
 */
public final class ReceiptEvidence {
  private final TransparencyLog log;

  public ReceiptEvidence(TransparencyLog log) {
    this.log = log;
  }

  public SignedReceipt attach(SignedReceipt receipt) {
    JsonNode given = receipt.log() == null ? null : receipt.log().get("index");
    Optional<SignedCheckpoint> latest = log.latestCheckpoint();
    // the leaf is found by its hash: a receipt re-logged after a coordinator crash has moved
    OptionalLong found = log.indexOf(Hash.leaf(receipt.logEntry()));
    if (latest.isPresent()
        && found.isPresent()
        && found.getAsLong() < latest.get().checkpoint().treeSize()) {
      long size = latest.get().checkpoint().treeSize();
      ObjectNode evidence = Json.object().put("index", found.getAsLong());
      evidence.put("tree_size", size);
      ArrayNode path = evidence.putArray("inclusion_path");
      log.inclusionProof(found.getAsLong(), size).path().forEach(h -> path.add(h.base64()));
      evidence.put("checkpoint", latest.get().format());
      return receipt.withLog(evidence);
    }
    if (given == null || !given.canConvertToLong() || given.longValue() < 0) {
      return receipt;
    }
    return receipt.withLog(Json.object().put("index", given.longValue()));
  }
}
