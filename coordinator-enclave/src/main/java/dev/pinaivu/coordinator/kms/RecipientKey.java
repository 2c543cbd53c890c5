package dev.pinaivu.coordinator.kms;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;

/**
 * A fresh RSA-2048 key pair for one KMS answer: its public half (DER SubjectPublicKeyInfo) goes
 * into the NSM attestation document given as {@code Recipient}, its private half never leaves this
 * object and opens the {@code CiphertextForRecipient} envelope. Use one per request.
 */
public final class RecipientKey {
  static final int BITS = 2048;

  private final KeyPair pair;

  private RecipientKey(KeyPair pair) {
    this.pair = pair;
  }

  public static RecipientKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(BITS);
      return new RecipientKey(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK generates RSA keys", e);
    }
  }

  /** The DER SubjectPublicKeyInfo that KMS expects in the document's {@code public_key}. */
  public byte[] publicKeyDer() {
    return pair.getPublic().getEncoded();
  }

  /** The plaintext inside a KMS {@code CiphertextForRecipient} made for this key. */
  public byte[] open(byte[] ciphertextForRecipient) {
    return RecipientEnvelope.open(ciphertextForRecipient, privateKey());
  }

  private PrivateKey privateKey() {
    return pair.getPrivate();
  }

  @Override
  public String toString() {
    return "RecipientKey[RSA-" + BITS + ", private key redacted]";
  }
}
