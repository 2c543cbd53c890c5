package dev.pinaivu.core.translog;

import java.util.List;

/**
 * Proof that the leaf at {@code leafIndex} is in the tree of {@code treeSize} leaves: the audit
 * path of RFC 9162 §2.1.3, sibling hashes from the leaf up.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path) {
  public InclusionProof {
    if (leafIndex < 0 || treeSize < 0) {
      throw new IllegalArgumentException(
          "negative leaf index or tree size: " + leafIndex + ", " + treeSize);
    }
    path = List.copyOf(path);
  }

  /** Checks the proof for {@code leafHash} against {@code rootHash} as RFC 9162 §2.1.3.2 says. */
  public Verdict verify(Hash leafHash, Hash rootHash) {
    if (leafIndex >= treeSize) {
      return Verdict.reject("leaf index " + leafIndex + " is not below the tree size " + treeSize);
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    for (Hash p : path) {
      if (sn == 0) {
        return Verdict.reject("the proof has more hashes than the leaf has ancestors");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Hash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Hash.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return Verdict.reject("the proof has fewer hashes than the leaf has ancestors");
    }
    if (!r.equals(rootHash)) {
      return Verdict.reject("the proof leads to root " + r + ", not " + rootHash);
    }
    return Verdict.accept();
  }
}
