package dev.pinaivu.core.translog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.json.Json;
import java.util.Base64;
import java.util.List;

/**
 * Use case behind the public log routes: the latest signed checkpoint, inclusion and consistency
 * proofs up to it, and single entries. Parameters arrive as the query strings they were; a missing,
 * malformed or out-of-range one is an {@link ApiException} naming it. Proofs are served only for
 * sizes some stored checkpoint reached, since only those roots are signed.
 */
public final class LogQueries {
  private final TransparencyLog log;

  public LogQueries(TransparencyLog log) {
    this.log = log;
  }

  /** The latest signed checkpoint, as the note text. */
  public String checkpoint() {
    return latest().format();
  }

  public ObjectNode inclusion(String index, String treeSize) {
    long size = optionalSize("tree_size", treeSize);
    long leaf = number("index", index);
    if (leaf >= size) {
      throw ApiException.invalid(
          "index", "index " + leaf + " is not below the tree size " + size + ".");
    }
    ObjectNode body = Json.object();
    body.put("index", leaf);
    body.put("tree_size", size);
    body.put("leaf_hash", leafHash(leaf).base64());
    body.set("inclusion_path", base64(log.inclusionProof(leaf, size).path()));
    return body;
  }

  public ObjectNode consistency(String first, String second) {
    long to = optionalSize("second", second);
    long from = number("first", first);
    if (from > to) {
      throw ApiException.invalid("first", "first " + from + " is beyond second " + to + ".");
    }
    ObjectNode body = Json.object();
    body.put("first", from);
    body.put("second", to);
    body.set("consistency_path", base64(log.consistencyProof(from, to).path()));
    return body;
  }

  public ObjectNode entry(String index) {
    long leaf = number("index", index);
    long size = signedSize();
    if (leaf >= size) {
      throw ApiException.notFound(
          "No log entry " + leaf + ": the latest checkpoint has " + size + " entries.");
    }
    byte[] entry = log.entry(leaf);
    ObjectNode body = Json.object();
    body.put("index", leaf);
    body.put("type", KeyAnnouncement.isAnnouncement(entry) ? KeyAnnouncement.TYPE : "receipt");
    body.put("leaf_hash", Hash.leaf(entry).base64());
    body.put("entry", Base64.getEncoder().encodeToString(entry));
    return body;
  }

  private Hash leafHash(long index) {
    return Hash.leaf(log.entry(index));
  }

  private SignedCheckpoint latest() {
    return log.latestCheckpoint()
        .orElseThrow(() -> ApiException.notFound("The log has no signed checkpoint yet."));
  }

  private long signedSize() {
    return log.latestCheckpoint().map(c -> c.checkpoint().treeSize()).orElse(0L);
  }

  /** A size up to the latest checkpoint's; that one when absent. */
  private long optionalSize(String param, String value) {
    long signed = latest().checkpoint().treeSize();
    if (value == null || value.isEmpty()) {
      return signed;
    }
    long size = number(param, value);
    if (size > signed) {
      throw ApiException.invalid(
          param,
          param + " " + size + " is beyond the latest checkpoint, of " + signed + " entries.");
    }
    return size;
  }

  private static long number(String param, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.missing(param);
    }
    if (!value.matches("0|[1-9][0-9]{0,17}")) {
      throw ApiException.invalid(
          param, param + " must be a non-negative integer, got \"" + shown(value) + "\".");
    }
    return Long.parseLong(value);
  }

  private static String shown(String value) {
    String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static ArrayNode base64(List<Hash> hashes) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    hashes.forEach(h -> array.add(h.base64()));
    return array;
  }
}
