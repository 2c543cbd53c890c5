package dev.pinaivu.functions.store;

import dev.pinaivu.core.translog.Hash;
import dev.pinaivu.core.translog.Tile;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How one log maps onto items of the shared table (ADR 13): leaves under {@code <log>#leaf} with
 * the index as sort key, one head item under {@code <log>#head}, and tiles under {@code
 * <log>#tile#<level>} with the tile index as sort key. The attribute names are also the CDK
 * stack's; change neither alone.
 */
final class LogItems {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String HASH_INDEX = "by_leaf_hash";
  static final String HASH_KEY = "leaf_hash_key";
  static final String DATA = "data";
  static final String LEAF_HASH = "leaf_hash";
  static final String FENCE = "fence";
  static final String SIZE = "size";
  static final String CHECKPOINT = "checkpoint";
  static final String CHECKPOINT_SIZE = "checkpoint_size";
  static final String HASHES = "hashes";
  static final String WIDTH = "width";

  private final String logName;

  LogItems(String logName) {
    if (logName.isEmpty() || logName.contains("#")) {
      throw new IllegalArgumentException("a log name is non-empty and has no '#': " + logName);
    }
    this.logName = logName;
  }

  String leafPartition() {
    return logName + "#leaf";
  }

  Map<String, AttributeValue> headKey() {
    return Map.of(PK, s(logName + "#head"), SK, n(0));
  }

  Map<String, AttributeValue> leafKey(long index) {
    return Map.of(PK, s(leafPartition()), SK, n(index));
  }

  Map<String, AttributeValue> tileKey(int level, long index) {
    return Map.of(PK, s(logName + "#tile#" + level), SK, n(index));
  }

  Map<String, AttributeValue> tile(Tile tile) {
    Map<String, AttributeValue> item = new HashMap<>(tileKey(tile.level(), tile.index()));
    item.put(HASHES, AttributeValue.fromB(SdkBytes.fromByteArray(tile.hashes())));
    item.put(WIDTH, n(tile.width()));
    return item;
  }

  /** The index key of a leaf hash: scoped to this log, so logs sharing the table stay apart. */
  String hashKey(Hash leafHash) {
    return logName + "#" + leafHash.hex();
  }

  Map<String, AttributeValue> leaf(long index, byte[] data, long fence) {
    Hash hash = Hash.leaf(data);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(leafPartition()));
    item.put(SK, n(index));
    item.put(LEAF_HASH, AttributeValue.fromB(SdkBytes.fromByteArray(hash.bytes())));
    item.put(HASH_KEY, s(hashKey(hash)));
    item.put(FENCE, n(fence));
    if (data.length > 0) {
      // an empty entry has no data attribute: not every DynamoDB implementation takes empty binary
      item.put(DATA, AttributeValue.fromB(SdkBytes.fromByteArray(data)));
    }
    return item;
  }

  static byte[] bytes(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.b() == null ? new byte[0] : value.b().asByteArray();
  }

  static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
