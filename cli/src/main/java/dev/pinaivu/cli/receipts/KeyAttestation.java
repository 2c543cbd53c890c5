package dev.pinaivu.cli.receipts;

import dev.pinaivu.core.attestation.AttestationDocument;
import dev.pinaivu.core.attestation.MalformedAttestationException;
import dev.pinaivu.core.attestation.Verification;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DevAttestation;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a key and its attestation into trust, as docs/receipts.md §2 says: a NITRO key only when
 * its attestation document verifies and carries exactly that 32-byte key in {@code public_key}; a
 * DEV key as what it is (the verifier refuses it unless {@code --allow-dev}).
 */
final class KeyAttestation {
  static final String UNKNOWN_KEY = "(unknown key)";

  private final NitroCheck nitro;

  KeyAttestation(NitroCheck nitro) {
    this.nitro = Objects.requireNonNull(nitro, "nitro");
  }

  /**
   * A NITRO key from its attestation {@code document}.
   *
   * @param expected the key the document must carry; null to take the one it carries
   */
  KeyTrust nitro(byte[] expected, byte[] document) {
    String keyId = expected != null ? CoordinatorKey.keyIdOf(expected) : claimedKeyId(document);
    Verification checked = nitro.verify(document);
    if (!(checked instanceof Verification.Valid valid)) {
      return KeyTrust.refusing(keyId, "its Nitro attestation was refused: " + checked.reason());
    }
    byte[] attested = valid.document().publicKey();
    if (attested == null || attested.length != Ed25519.KEY_BYTES) {
      return KeyTrust.refusing(
          keyId, "its Nitro attestation's public_key is not a 32-byte Ed25519 key");
    }
    if (expected != null && !Arrays.equals(attested, expected)) {
      return KeyTrust.refusing(keyId, "its Nitro attestation's public_key is another key");
    }
    return KeyTrust.of(CoordinatorKey.nitro(attested, document));
  }

  /** A DEV key, with its dev attestation document when there is one (it must name the key). */
  KeyTrust dev(byte[] publicKey, byte[] devDocument) {
    if (devDocument == null) {
      return KeyTrust.of(CoordinatorKey.dev(publicKey));
    }
    String keyId = CoordinatorKey.keyIdOf(publicKey);
    try {
      CoordinatorKey key = DevAttestation.read(devDocument);
      return key.keyId().equals(keyId)
          ? KeyTrust.of(key)
          : KeyTrust.refusing(keyId, "its dev attestation names another key");
    } catch (IllegalArgumentException e) {
      return KeyTrust.refusing(keyId, "its dev attestation is malformed: " + e.getMessage());
    }
  }

  /** The key id the document claims, unverified: only to name a refused key. */
  private static String claimedKeyId(byte[] document) {
    try {
      byte[] key = AttestationDocument.parse(document).publicKey();
      return key != null && key.length == Ed25519.KEY_BYTES
          ? CoordinatorKey.keyIdOf(key)
          : UNKNOWN_KEY;
    } catch (MalformedAttestationException | RuntimeException e) {
      return UNKNOWN_KEY;
    }
  }
}
