package dev.pinaivu.functions.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's item-size arithmetic, as its developer guide states it, to turn items into capacity
 * units: a name and a string count their UTF-8 bytes, a number about one byte per two significant
 * digits plus one. A write unit covers 1 KB (2 in a transaction), a strongly consistent read unit 4
 * KB; every write or read costs at least one unit.
 */
final class ItemSizes {
  private ItemSizes() {}

  static long bytes(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + value(e.getValue());
    }
    return size;
  }

  /** Write units of a standard write of an item of {@code bytes}. */
  static long writeUnits(long bytes) {
    return Math.max(1, Math.ceilDiv(bytes, 1024));
  }

  /** Read units of a strongly consistent read of an item of {@code bytes}. */
  static long readUnits(long bytes) {
    return Math.max(1, Math.ceilDiv(bytes, 4096));
  }

  private static long value(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    }
    if (v.n() != null) {
      return number(v.n());
    }
    if (v.b() != null) {
      return v.b().asByteArray().length;
    }
    if (v.hasSs()) {
      return v.ss().stream().mapToLong(ItemSizes::utf8).sum();
    }
    return 1; // BOOL, NULL
  }

  private static long number(String n) {
    String digits = n.replace("-", "").replace(".", "").replaceFirst("^0+", "");
    digits = digits.replaceFirst("0+$", "");
    return Math.ceilDiv(Math.max(digits.length(), 1), 2) + 1;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
