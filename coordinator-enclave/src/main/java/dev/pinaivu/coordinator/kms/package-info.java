/**
 * Sealing state that the enclave must keep across restarts (the log position, a long-lived identity
 * key) with AWS KMS: {@link dev.pinaivu.coordinator.kms.SealedState} is the API, {@link
 * dev.pinaivu.coordinator.kms.KmsSealedState} the KMS adapter. Unsealing is a KMS {@code Decrypt}
 * with a {@code Recipient}: an NSM attestation document carrying a fresh RSA key, so KMS answers
 * with a CMS envelope only this enclave can open ({@link
 * dev.pinaivu.coordinator.kms.RecipientEnvelope}) and the key policy can require the enclave's
 * PCRs. {@link dev.pinaivu.coordinator.kms.SealedIdentity} keeps the coordinator's key across
 * restarts with it; {@link dev.pinaivu.coordinator.kms.SealedParentSecret} brings the secret the
 * parent shares with the coordinator into the enclave. See docs/enclave.md.
 */
package dev.pinaivu.coordinator.kms;
