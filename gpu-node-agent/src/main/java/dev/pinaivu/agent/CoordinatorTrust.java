package dev.pinaivu.agent;

import dev.pinaivu.core.attestation.AttestationVerifier;
import dev.pinaivu.core.attestation.VerifyOptions;
import dev.pinaivu.core.protocol.Frame;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.TrustedKeys;
import dev.pinaivu.core.receipt.Verification;
import java.util.List;

/**
 * Decides whether this node trusts a coordinator key its gateway announces ({@code welcome}, or a
 * {@code coordinator} frame after a restart), and so whether it will run the jobs that key
 * authorises. A Nitro key is trusted only when its attestation document verifies against the AWS
 * root, is not a debug enclave, carries exactly that key, and (when pinned) has the expected PCR0.
 * A development key is trusted only when the operator said so.
 */
public final class CoordinatorTrust {
  /** Keys a node trusts at once at most: the newest, so the last restarts' tokens stay valid. */
  static final int MAX_KEYS = 8;

  /** What an operator who joined a local network without the flag needs to read, in one line. */
  static final String DEV_REFUSED =
      "the gateway's coordinator is a DEV (non-enclave) coordinator, which this node does not"
          + " trust unless told to; if this is your own local network (./pinaivu up), restart the"
          + " node with --trust-dev-coordinator (never for a network run by someone else)";

  private final boolean trustDev;
  private final String pcr0;

  /**
   * @param trustDev accept a development coordinator (local networks only)
   * @param pcr0 the enclave image measurement to require; null to accept any production image
   */
  public CoordinatorTrust(boolean trustDev, String pcr0) {
    this.trustDev = trustDev;
    this.pcr0 = pcr0;
  }

  /** The keys of a new connection ({@code welcome}), or the reason its coordinator is refused. */
  Verification<TrustedKeys> check(Frame.CoordinatorInfo info) {
    Verification<CoordinatorKey> key = key(info);
    return key.valid()
        ? Verification.valid(new TrustedKeys(List.of(key.value()), trustDev))
        : key.failure("");
  }

  /**
   * {@code trusted} with the key a {@code coordinator} frame announced added (null: none trusted
   * yet), or the reason that key is refused; the keys trusted already stay trusted either way.
   */
  Verification<TrustedKeys> adding(TrustedKeys trusted, Frame.CoordinatorInfo info) {
    Verification<CoordinatorKey> key = key(info);
    if (!key.valid()) {
      return key.failure("");
    }
    return Verification.valid(
        trusted == null
            ? new TrustedKeys(List.of(key.value()), trustDev)
            : trusted.with(key.value(), MAX_KEYS));
  }

  /** The announced key, once it is proved as this node requires. */
  private Verification<CoordinatorKey> key(Frame.CoordinatorInfo info) {
    if (info == null) {
      return Verification.invalid("the gateway announced no coordinator");
    }
    CoordinatorKey key;
    try {
      key = CoordinatorKey.fromWire(info);
    } catch (IllegalArgumentException e) {
      return Verification.invalid("malformed coordinator key: " + e.getMessage());
    }
    if (key.kind() == CoordinatorKey.Kind.DEV) {
      return trustDev ? Verification.valid(key) : Verification.invalid(DEV_REFUSED);
    }
    VerifyOptions options = VerifyOptions.DEFAULTS.expectingPublicKey(key.publicKey());
    if (pcr0 != null) {
      options = options.expectingPcr(0, pcr0);
    }
    var attested =
        new AttestationVerifier().verify(key.attestation(), options); // attestation.Verification
    if (!attested.valid()) {
      return Verification.invalid(
          "the coordinator's attestation is not valid: " + attested.reason());
    }
    return Verification.valid(key);
  }
}
