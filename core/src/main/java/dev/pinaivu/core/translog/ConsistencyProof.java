package dev.pinaivu.core.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * Proof that the tree of {@code firstSize} leaves is a prefix of the tree of {@code secondSize}
 * leaves: RFC 9162 §2.1.4. It is what catches a log that rewrote or dropped a leaf it had already
 * committed to in a checkpoint.
 */
public record ConsistencyProof(long firstSize, long secondSize, List<Hash> path) {
  public ConsistencyProof {
    if (firstSize < 0 || secondSize < 0) {
      throw new IllegalArgumentException(
          "negative tree size in a consistency proof: " + firstSize + ", " + secondSize);
    }
    path = List.copyOf(path);
  }

  /**
   * Checks that {@code firstRoot} (of size {@code firstSize}) and {@code secondRoot} (of size
   * {@code secondSize}) are roots of one growing log. For 0 < first < second this is RFC 9162
   * §2.1.4.2; outside that range, which the RFC leaves undefined, the proof must be empty, equal
   * sizes need equal roots and size 0 needs the empty-tree root.
   */
  public Verdict verify(Hash firstRoot, Hash secondRoot) {
    if (firstSize > secondSize) {
      return Verdict.reject(
          "the first tree size " + firstSize + " exceeds the second, " + secondSize);
    }
    if (firstSize == 0 || firstSize == secondSize) {
      return verifyTrivial(firstRoot, secondRoot);
    }
    if (path.isEmpty()) {
      return Verdict.reject("an empty proof cannot link size " + firstSize + " to " + secondSize);
    }
    List<Hash> hashes = new ArrayList<>(path);
    if (Long.bitCount(firstSize) == 1) {
      hashes.addFirst(firstRoot);
    }
    long fn = firstSize - 1;
    long sn = secondSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    Hash fr = hashes.get(0);
    Hash sr = hashes.get(0);
    for (Hash c : hashes.subList(1, hashes.size())) {
      if (sn == 0) {
        return Verdict.reject("the proof has more hashes than the two trees need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hash.node(c, fr);
        sr = Hash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = Hash.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Verdict.reject("the proof has fewer hashes than the two trees need");
    }
    if (!fr.equals(firstRoot)) {
      return Verdict.reject(
          "the proof rebuilds the first root as "
              + fr
              + ", not "
              + firstRoot
              + ": the first tree is not a prefix of the second");
    }
    if (!sr.equals(secondRoot)) {
      return Verdict.reject("the proof rebuilds the second root as " + sr + ", not " + secondRoot);
    }
    return Verdict.accept();
  }

  private Verdict verifyTrivial(Hash firstRoot, Hash secondRoot) {
    if (!path.isEmpty()) {
      return Verdict.reject(
          "from size " + firstSize + " to " + secondSize + " the proof must be empty");
    }
    if (firstSize == 0 && !firstRoot.equals(Hash.EMPTY_TREE)) {
      return Verdict.reject("the root of the empty tree is SHA-256 of nothing, not " + firstRoot);
    }
    if (firstSize == secondSize && !firstRoot.equals(secondRoot)) {
      return Verdict.reject(
          "two different roots for size " + firstSize + ": " + firstRoot + " and " + secondRoot);
    }
    return Verdict.accept();
  }
}
