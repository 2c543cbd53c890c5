package dev.pinaivu.core.translog;

import static dev.pinaivu.core.translog.TreeFixtures.RFC6962_LEAVES;
import static dev.pinaivu.core.translog.TreeFixtures.hashes;
import static dev.pinaivu.core.translog.TreeFixtures.hex;
import static dev.pinaivu.core.translog.TreeFixtures.treeOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6962 test data used by Certificate Transparency implementations. Every value is checked
 * against the reference transcription of the RFC as well as the production tree, so a typo in a
 * vector cannot hide a bug, nor a bug a typo.
 */
class KnownAnswerTest {
  private static final MerkleTree TREE = treeOf(RFC6962_LEAVES);

  /** Roots of the first 1..8 leaves. */
  private static final List<String> ROOTS =
      List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  @Test
  void roots_ofTheRfc6962Leaves_areTheKnownValues() {
    for (int n = 1; n <= 8; n++) {
      Hash known = Hash.fromHex(ROOTS.get(n - 1));
      assertThat(new Hash(ReferenceMerkle.mth(RFC6962_LEAVES.subList(0, n))))
          .as("reference, size %d", n)
          .isEqualTo(known);
      assertThat(TREE.root(n)).as("tree, size %d", n).isEqualTo(known);
    }
  }

  @Test
  void inclusionProofs_ofTheRfc6962Leaves_areTheKnownValues() {
    assertInclusion(
        0,
        8,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertInclusion(
        5,
        8,
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertInclusion(2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    assertInclusion(0, 1);
  }

  @Test
  void consistencyProofs_ofTheRfc6962Leaves_areTheKnownValues() {
    assertConsistency(
        1,
        8,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertConsistency(
        6,
        8,
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    assertConsistency(
        2,
        5,
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    assertConsistency(
        3,
        7,
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e");
  }

  private static void assertInclusion(int index, int size, String... path) {
    List<Hash> known = hashes(hex(path));
    assertThat(hashes(ReferenceMerkle.path(index, RFC6962_LEAVES.subList(0, size))))
        .isEqualTo(known);
    InclusionProof proof = TREE.inclusionProof(index, size);
    assertThat(proof.path()).isEqualTo(known);
    Hash leaf = Hash.leaf(RFC6962_LEAVES.get(index));
    assertThat(proof.verify(leaf, Hash.fromHex(ROOTS.get(size - 1))).accepted()).isTrue();
  }

  private static void assertConsistency(int first, int second, String... path) {
    List<Hash> known = hashes(hex(path));
    assertThat(hashes(ReferenceMerkle.proof(first, RFC6962_LEAVES.subList(0, second))))
        .isEqualTo(known);
    ConsistencyProof proof = TREE.consistencyProof(first, second);
    assertThat(proof.path()).isEqualTo(known);
    Verdict verdict =
        proof.verify(Hash.fromHex(ROOTS.get(first - 1)), Hash.fromHex(ROOTS.get(second - 1)));
    assertThat(verdict.accepted()).isTrue();
  }
}
