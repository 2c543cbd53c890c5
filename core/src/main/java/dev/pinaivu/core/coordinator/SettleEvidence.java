package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.CanonicalJson;

/**
 * What makes two settle requests the same: the SHA-256 of the canonical {@code settle} message
 * (docs/coordinator-protocol.md) without its id, so that only a retry of exactly the same evidence
 * gets the same receipt back.
 */
final class SettleEvidence {
  private SettleEvidence() {}

  static byte[] sha256(Coordinator.SettleRequest request) {
    return Sha256.digest(CanonicalJson.bytes(RequestCodec.settle(0, request)));
  }
}
