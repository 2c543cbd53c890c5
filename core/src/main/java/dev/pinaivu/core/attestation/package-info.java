/**
 * Verifies AWS Nitro Enclaves attestation documents: the COSE_Sign1 envelope, the document's
 * fields, the certificate chain to the pinned AWS Nitro root, the ES384 signature, debug mode and
 * expected PCRs. The coordinator's receipts are only as trustworthy as this check; see {@code
 * docs/attestation.md}.
 */
package dev.pinaivu.core.attestation;
