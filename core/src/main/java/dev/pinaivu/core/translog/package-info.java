/**
 * The transparency log: every routing receipt becomes a leaf of an append-only RFC 9162 Merkle
 * tree, and the coordinator publishes signed checkpoints of it (C2SP tlog-checkpoint, signed as a
 * C2SP signed note with Ed25519). Anyone holding a receipt and two checkpoints can check, with
 * inclusion and consistency proofs, that the receipt was logged and that no earlier leaf was
 * rewritten or deleted. The byte-level format is in {@code docs/transparency-log.md}.
 *
 * <p>Hashing and proofs: {@link dev.pinaivu.core.translog.Hash}, {@link
 * dev.pinaivu.core.translog.MerkleTree}, {@link dev.pinaivu.core.translog.InclusionProof}, {@link
 * dev.pinaivu.core.translog.ConsistencyProof}. Storage port: {@link
 * dev.pinaivu.core.translog.LogStore}. Use case: {@link dev.pinaivu.core.translog.TransparencyLog}.
 * Checkpoints: {@link dev.pinaivu.core.translog.Checkpoint}, {@link
 * dev.pinaivu.core.translog.SignedNote}, {@link dev.pinaivu.core.translog.CheckpointVerifier}. The
 * coordinator's compact state: {@link dev.pinaivu.core.translog.Frontier}; entries announcing its
 * keys: {@link dev.pinaivu.core.translog.KeyAnnouncement}. Serving and auditing: {@link
 * dev.pinaivu.core.translog.LogQueries}, {@link dev.pinaivu.core.translog.ReceiptEvidence}, {@link
 * dev.pinaivu.core.translog.LogVerifier}.
 */
package dev.pinaivu.core.translog;
