package dev.pinaivu.core.receipt;

import java.util.Arrays;

/**
 * A node's signed proof whose signature checked out under {@code nodeKey}, with the proof it holds.
 * Only {@link #of} makes one, and only by verifying, so a step that is handed a {@code
 * VerifiedProof} is handed a checked signature: the coordinator checks a proof once per settlement
 * and carries this through {@link Settlement}, {@link ReceiptChecks} and {@link ReceiptSigner}.
 */
final class VerifiedProof {
  private final SignedProof signed;
  private final byte[] nodeKey;
  private final ProofOfInference proof;

  private VerifiedProof(SignedProof signed, byte[] nodeKey, ProofOfInference proof) {
    this.signed = signed;
    this.nodeKey = nodeKey;
    this.proof = proof;
  }

  /** Verifies {@code signed} under {@code nodeKey} ({@link SignedProof#verify}). */
  static Verification<VerifiedProof> of(SignedProof signed, byte[] nodeKey) {
    byte[] key = nodeKey.clone(); // the bytes verified are the bytes kept
    Verification<ProofOfInference> verified = signed.verify(key);
    if (!verified.valid()) {
      return verified.failure("");
    }
    return Verification.valid(new VerifiedProof(signed, key, verified.value()));
  }

  /**
   * This, when {@code embedded} is exactly the proof verified (the same JSON and signature) under
   * exactly {@code key}; otherwise a refusal, so that a receipt cannot borrow another's check.
   */
  Verification<VerifiedProof> as(SignedProof embedded, byte[] key) {
    if (!signed.equals(embedded) || !Arrays.equals(nodeKey, key)) {
      return Verification.invalid("node proof: not the proof verified under this node key");
    }
    return Verification.valid(this);
  }

  ProofOfInference proof() {
    return proof;
  }
}
