package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.receipt.CoordinatorKey;

/**
 * Binds a freshly generated coordinator public key to where it lives: in an enclave, an NSM
 * attestation document whose {@code public_key} is the key; in dev mode, the marked dev document
 * that attests nothing. Only the public key is ever handed over.
 */
@FunctionalInterface
public interface Attestor {
  /** Dev mode: a software key with a {@link dev.pinaivu.core.receipt.DevAttestation}. */
  Attestor DEV = CoordinatorKey::dev;

  /** The descriptor verifiers will use for {@code publicKey} (32 raw bytes). */
  CoordinatorKey attest(byte[] publicKey);
}
