package dev.pinaivu.core.attestation;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/** COSE ES384: ECDSA with P-384 and SHA-384, the signature a raw 96-byte {@code r || s}. */
final class Es384 {
  static final int SIGNATURE_BYTES = 96;
  private static final String JCA_NAME = "SHA384withECDSAinP1363Format";

  private Es384() {}

  /** Why {@code cose}'s signature does not verify under {@code key}, or empty when it does. */
  static Optional<String> problem(CoseSign1 cose, PublicKey key) {
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      return Optional.of("leaf certificate key is not an EC P-384 key, as ES384 requires");
    }
    byte[] signature = cose.signature();
    if (signature.length != SIGNATURE_BYTES) {
      return Optional.of("signature must be 96 bytes (ES384 r||s), got " + signature.length);
    }
    try {
      Signature ecdsa = Signature.getInstance(JCA_NAME);
      ecdsa.initVerify(key);
      ecdsa.update(cose.toBeSigned());
      return ecdsa.verify(signature) ? Optional.empty() : Optional.of("signature does not verify");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK since 9 has " + JCA_NAME, e);
    } catch (GeneralSecurityException e) {
      return Optional.of("signature does not verify: " + OneLine.of(e.getMessage()));
    }
  }
}
