package dev.pinaivu.core.receipt;

import dev.pinaivu.core.node.NodeOffer;
import java.util.Arrays;

/**
 * A node's signed offer whose signature checked out under {@code nodeKey}, with the offer it holds
 * and its {@code offer_sha256}. Only {@link #of} makes one, and only by verifying (see {@link
 * VerifiedProof}).
 */
final class VerifiedOffer {
  private final SignedOffer signed;
  private final byte[] nodeKey;
  private final NodeOffer offer;
  private final String sha256;

  private VerifiedOffer(SignedOffer signed, byte[] nodeKey, NodeOffer offer) {
    this.signed = signed;
    this.nodeKey = nodeKey;
    this.offer = offer;
    this.sha256 = signed.sha256();
  }

  /** Verifies {@code signed} under {@code nodeKey} ({@link SignedOffer#verify}). */
  static Verification<VerifiedOffer> of(SignedOffer signed, byte[] nodeKey) {
    byte[] key = nodeKey.clone();
    Verification<NodeOffer> verified = signed.verify(key);
    if (!verified.valid()) {
      return verified.failure("");
    }
    return Verification.valid(new VerifiedOffer(signed, key, verified.value()));
  }

  /** This, when {@code embedded} is exactly the offer verified under exactly {@code key}. */
  Verification<VerifiedOffer> as(SignedOffer embedded, byte[] key) {
    if (!signed.equals(embedded) || !Arrays.equals(nodeKey, key)) {
      return Verification.invalid("node offer: not the offer verified under this node key");
    }
    return Verification.valid(this);
  }

  NodeOffer offer() {
    return offer;
  }

  /** Hex SHA-256 of the canonical offer, the {@code offer_sha256} a dispatch token names. */
  String sha256() {
    return sha256;
  }
}
