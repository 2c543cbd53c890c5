package dev.pinaivu.core.translog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Leaves and trees shared by the tree tests. */
final class TreeFixtures {
  /** The eight leaves of the RFC 6962 test data used across Certificate Transparency code. */
  static final List<byte[]> RFC6962_LEAVES =
      hex(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  private TreeFixtures() {}

  static List<byte[]> entries(int count) {
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(("receipt " + i).getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  static MerkleTree treeOf(List<byte[]> entries) {
    MerkleTree tree = new MerkleTree();
    entries.forEach(entry -> tree.append(Hash.leaf(entry)));
    return tree;
  }

  static List<Hash> hashes(List<byte[]> raw) {
    return raw.stream().map(Hash::new).toList();
  }

  static List<byte[]> hex(String... values) {
    return List.of(values).stream().map(HexFormat.of()::parseHex).toList();
  }

  /** The same hash with one bit flipped. */
  static Hash flipped(Hash hash) {
    byte[] bytes = hash.bytes();
    bytes[0] ^= 1;
    return new Hash(bytes);
  }
}
