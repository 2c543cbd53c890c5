/**
 * Money and proof, signed: the coordinator's {@link dev.pinaivu.core.receipt.DispatchToken} that
 * authorises one node to run one request, the node's {@link
 * dev.pinaivu.core.receipt.ProofOfInference} of what it ran and streamed, and the routing {@link
 * dev.pinaivu.core.receipt.Receipt} the coordinator signs over all of it, which anyone can verify
 * offline ({@link dev.pinaivu.core.receipt.ReceiptVerifier}). Every signature is Ed25519 over a
 * domain prefix and the RFC 8785 canonical JSON of the document ({@link
 * dev.pinaivu.core.receipt.SigningContext}). The byte-level format, with a test vector, is {@code
 * docs/receipts.md}.
 *
 * <p>Node side: {@link dev.pinaivu.core.receipt.DispatchTokenVerifier}, {@link
 * dev.pinaivu.core.receipt.ResponseDigest}, {@link dev.pinaivu.core.receipt.SignedProof}.
 * Coordinator side: {@link dev.pinaivu.core.receipt.Settlement}, {@link
 * dev.pinaivu.core.receipt.ReceiptSigner}. Anyone: {@link dev.pinaivu.core.receipt.ReceiptVerifier}
 * with {@link dev.pinaivu.core.receipt.TrustedKeys}.
 */
package dev.pinaivu.core.receipt;
