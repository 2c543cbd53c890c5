package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's receipt signature. It refuses to sign a receipt that names another key or that
 * breaks any rule a verifier checks, so it never issues a receipt that fails verification.
 */
public final class ReceiptSigner {
  private final Ed25519.PrivateKey key;
  private final String keyId;

  public ReceiptSigner(Ed25519.PrivateKey key) {
    this.key = Objects.requireNonNull(key, "key");
    this.keyId = CoordinatorKey.keyIdOf(key.publicKey());
  }

  /** The id receipts signed here must carry in {@code coordinator_key_id}. */
  public String keyId() {
    return keyId;
  }

  public byte[] publicKey() {
    return key.publicKey();
  }

  /** Signs {@code receipt} once it passes every rule, the node's signatures checked here. */
  public SignedReceipt sign(Receipt receipt) {
    requireOwnKey(receipt);
    return signChecked(receipt, ReceiptChecks.firstFailure(receipt));
  }

  /**
   * Signs what {@link Settlement} built once it passes every rule, the node's proof and offer being
   * the ones the settlement verified (each exactly as embedded), so their signatures are checked
   * once per settlement, not again here.
   */
  public SignedReceipt sign(SettledReceipt settled) {
    requireOwnKey(settled.receipt());
    return signChecked(settled.receipt(), ReceiptChecks.firstFailure(settled));
  }

  private void requireOwnKey(Receipt receipt) {
    if (!keyId.equals(receipt.coordinatorKeyId())) {
      throw new IllegalArgumentException(
          "coordinator_key_id " + receipt.coordinatorKeyId() + " is not this signer's " + keyId);
    }
  }

  private SignedReceipt signChecked(Receipt receipt, Optional<String> failure) {
    failure.ifPresent(reason -> {
      throw new IllegalArgumentException("refusing to sign: " + reason);
    });
    byte[] signature = key.sign(SignedJson.message(SigningContext.RECEIPT, receipt));
    return new SignedReceipt(SignedReceipt.ALG, keyId, receipt, B64.encode(signature), null);
  }

  @Override
  public String toString() {
    return "ReceiptSigner[" + keyId + "]";
  }
}
