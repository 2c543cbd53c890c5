package dev.pinaivu.core.translog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The unsigned {@code log} member of a served receipt, read strictly (docs/receipts.md §9.1): an
 * object with an integer {@code index}, and, once a checkpoint covers the leaf, an integer {@code
 * tree_size}, an {@code inclusion_path} of base64 hashes and the {@code checkpoint} note; all three
 * or none. {@code "index": "2"}, {@code "log": null} or a path of numbers are refused.
 *
 * @param treeSize 0 and {@code path} and {@code checkpoint} null until a checkpoint covers the leaf
 */
public record LogEvidence(long index, long treeSize, List<Hash> path, String checkpoint) {
  /**
   * @throws IllegalArgumentException naming the member at fault
   */
  public static LogEvidence read(JsonNode log) {
    if (log == null || !log.isObject()) {
      throw new IllegalArgumentException(
          "the log member must be an object {index[, tree_size, inclusion_path, checkpoint]}");
    }
    long index = integer(log, "index");
    boolean any = log.has("tree_size") || log.has("inclusion_path") || log.has("checkpoint");
    if (!any) {
      return new LogEvidence(index, 0, null, null);
    }
    long size = integer(log, "tree_size");
    JsonNode path = log.get("inclusion_path");
    if (path == null || !path.isArray()) {
      throw new IllegalArgumentException("log.inclusion_path is missing or not an array");
    }
    List<Hash> hashes = new ArrayList<>();
    for (JsonNode item : path) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("log.inclusion_path holds a value that is not a string");
      }
      hashes.add(Hash.fromBase64(item.textValue()));
    }
    JsonNode checkpoint = log.get("checkpoint");
    if (checkpoint == null || !checkpoint.isTextual()) {
      throw new IllegalArgumentException("log.checkpoint is missing or not a string");
    }
    return new LogEvidence(index, size, List.copyOf(hashes), checkpoint.textValue());
  }

  /** Whether a signed checkpoint covers the leaf yet. */
  public boolean checkpointed() {
    return checkpoint != null;
  }

  private static long integer(JsonNode log, String member) {
    JsonNode value = log.get(member);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < 0) {
      throw new IllegalArgumentException("log." + member + " is missing or not an integer");
    }
    return value.longValue();
  }
}
