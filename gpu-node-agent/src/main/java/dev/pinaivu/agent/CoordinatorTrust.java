package dev.pinaivu.agent;

import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.attestation.VerifyOptions;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.TrustedKeys;
import java.util.List;

/**
 * Decides whether this node trusts the coordinator its gateway announces, and so whether it will
 * run the jobs that coordinator authorises. A Nitro key is trusted only when its attestation
 * document verifies against the AWS root, is not a debug enclave, carries exactly that key, and
 * (when pinned) has the expected PCR0. A development key is trusted only when the operator said so.
 */
final class CoordinatorTrust {
  private final boolean trustDev;
  private final String pcr0;

  /**
   * @param trustDev accept a development coordinator (local networks only)
   * @param pcr0 the enclave image measurement to require; null to accept any production image
   */
  CoordinatorTrust(boolean trustDev, String pcr0) {
    this.trustDev = trustDev;
    this.pcr0 = pcr0;
  }

  /** The keys to check dispatch tokens with, or the reason this coordinator is not trusted. */
  dev.pinaivu.core.receipt.Verification<TrustedKeys> check(Frame.CoordinatorInfo info) {
    if (info == null) {
      return dev.pinaivu.core.receipt.Verification.invalid("the gateway announced no coordinator");
    }
    CoordinatorKey key;
    try {
      key = CoordinatorKey.fromWire(info);
    } catch (IllegalArgumentException e) {
      return dev.pinaivu.core.receipt.Verification.invalid(
          "malformed coordinator key: " + e.getMessage());
    }
    if (key.kind() == CoordinatorKey.Kind.DEV) {
      return trustDev
          ? dev.pinaivu.core.receipt.Verification.valid(new TrustedKeys(List.of(key), true))
          : dev.pinaivu.core.receipt.Verification.invalid(
              "the gateway's coordinator uses a development key; start the node with"
                  + " --trust-dev-coordinator to accept it (local networks only)");
    }
    VerifyOptions options = VerifyOptions.DEFAULTS.expectingPublicKey(key.publicKey());
    if (pcr0 != null) {
      options = options.expectingPcr(0, pcr0);
    }
    Verification attested = new AttestationVerifier().verify(key.attestation(), options);
    if (!attested.valid()) {
      return dev.pinaivu.core.receipt.Verification.invalid(
          "the coordinator's attestation is not valid: " + attested.reason());
    }
    return dev.pinaivu.core.receipt.Verification.valid(new TrustedKeys(List.of(key), false));
  }
}
