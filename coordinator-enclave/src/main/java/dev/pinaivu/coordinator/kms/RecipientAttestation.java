package dev.pinaivu.coordinator.kms;

/**
 * An NSM attestation document whose {@code public_key} is the given DER SubjectPublicKeyInfo. In
 * the enclave: {@code new NsmAttestor(new NsmIoctl())::attestedDocument}.
 */
@FunctionalInterface
public interface RecipientAttestation {
  byte[] documentFor(byte[] publicKeyDer);
}
