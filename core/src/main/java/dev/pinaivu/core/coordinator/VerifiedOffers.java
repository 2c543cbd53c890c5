package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.node.NodeOffer;
import dev.pinaivu.core.receipt.SignedOffer;
import dev.pinaivu.core.receipt.Verification;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node offers whose signature this coordinator checked, by offer hash, signature and node key: a
 * node's standing offer backs thousands of tokens, and its signature needs checking once. Bounded;
 * the least recently used goes first.
 */
final class VerifiedOffers {
  private record Key(String offerSha256, String signature, String nodeKey) {}

  private final Map<Key, NodeOffer> verified;

  VerifiedOffers(int capacity) {
    this.verified =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, NodeOffer> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The offer {@code signed} holds, once its signature verifies under {@code nodePublicKey}.
   *
   * @throws IllegalArgumentException when it does not
   */
  NodeOffer verified(SignedOffer signed, byte[] nodePublicKey) {
    Key key = new Key(signed.sha256(), signed.signature(), B64.encode(nodePublicKey));
    synchronized (verified) {
      NodeOffer known = verified.get(key);
      if (known != null) {
        return known;
      }
    }
    Verification<NodeOffer> offer = signed.verify(nodePublicKey);
    if (!offer.valid()) {
      throw new IllegalArgumentException(offer.reason());
    }
    synchronized (verified) {
      verified.put(key, offer.value());
    }
    return offer.value();
  }
}
