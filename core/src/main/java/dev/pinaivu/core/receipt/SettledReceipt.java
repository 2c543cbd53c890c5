package dev.pinaivu.core.receipt;

import java.util.Objects;

/**
 * A receipt {@link Settlement} built, with the node's proof and offer whose signatures it checked
 * on the way: {@link ReceiptSigner#sign(SettledReceipt)} runs every other rule again before it
 * signs, but not those two signatures. Only {@link Settlement} makes one.
 */
public final class SettledReceipt {
  private final Receipt receipt;
  private final VerifiedProof proof;
  private final VerifiedOffer offer;

  SettledReceipt(Receipt receipt, VerifiedProof proof, VerifiedOffer offer) {
    this.receipt = Objects.requireNonNull(receipt, "receipt");
    this.proof = Objects.requireNonNull(proof, "proof");
    this.offer = Objects.requireNonNull(offer, "offer");
  }

  public Receipt receipt() {
    return receipt;
  }

  VerifiedProof proof() {
    return proof;
  }

  VerifiedOffer offer() {
    return offer;
  }

  @Override
  public String toString() {
    return "SettledReceipt[" + receipt.requestId() + "]";
  }
}
