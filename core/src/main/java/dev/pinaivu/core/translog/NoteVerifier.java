package dev.pinaivu.core.translog;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A trusted Ed25519 note key: its name and 32-byte public key. Its key id is the first four bytes,
 * big-endian, of SHA-256(key name || 0x0A || 0x01 || public key).
 */
public record NoteVerifier(String keyName, byte[] publicKey) {
  /** The signed-note signature type byte of Ed25519. */
  static final byte ED25519_TYPE = 0x01;

  public NoteVerifier {
    NoteText.requireKeyName(keyName);
    if (publicKey == null || publicKey.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  public static int keyId(String keyName, byte[] publicKey) {
    MessageDigest digest = Sha256.newDigest();
    digest.update(keyName.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    digest.update(ED25519_TYPE);
    digest.update(publicKey);
    return ByteBuffer.wrap(digest.digest()).getInt();
  }

  public int keyId() {
    return keyId(keyName, publicKey);
  }

  /**
   * Reads the one-line form {@code <name>+<8 hex digits of key id>+base64(0x01 || public key)} used
   * by Go's golang.org/x/mod/sumdb/note and the transparency-dev tools; the id must match.
   */
  public static NoteVerifier fromVerifierKey(String verifierKey) {
    String[] parts = verifierKey.split("\\+", 3);
    if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
      throw new InvalidNoteException("a verifier key is <name>+<hex key id>+<base64 key>");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException("the key in a verifier key is not base64", e);
    }
    if (typed.length != 1 + Ed25519.KEY_BYTES || typed[0] != ED25519_TYPE) {
      throw new InvalidNoteException("the verifier key is not an Ed25519 (type 0x01) key");
    }
    NoteVerifier verifier = new NoteVerifier(parts[0], Arrays.copyOfRange(typed, 1, typed.length));
    if (!hexId(verifier.keyId()).equals(parts[1])) {
      throw new InvalidNoteException("the key id in the verifier key does not match the key");
    }
    return verifier;
  }

  /** The one-line form read by {@link #fromVerifierKey}. */
  public String verifierKey() {
    byte[] typed = new byte[1 + Ed25519.KEY_BYTES];
    typed[0] = ED25519_TYPE;
    System.arraycopy(publicKey, 0, typed, 1, Ed25519.KEY_BYTES);
    return keyName + "+" + hexId(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /**
   * Accepts the note when a signature carries this key's name and id and verifies, and no other
   * signature with this name and id fails. Signatures by other keys are ignored, as the spec says.
   */
  public Verdict verify(SignedNote note) {
    int id = keyId();
    boolean verified = false;
    for (NoteSignature signature : note.signatures()) {
      if (!signature.keyName().equals(keyName) || signature.keyId() != id) {
        continue;
      }
      if (!Ed25519.verify(publicKey, note.textBytes(), signature.signature())) {
        return Verdict.reject("the signature by " + keyName + " does not verify");
      }
      verified = true;
    }
    return verified
        ? Verdict.accept()
        : Verdict.reject("the note has no signature by " + keyName + " with key id " + hexId(id));
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteVerifier that
        && keyName.equals(that.keyName)
        && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return 31 * keyName.hashCode() + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + keyName + " " + hexId(keyId()) + "]";
  }

  private static String hexId(int id) {
    return HexFormat.of().toHexDigits(id);
  }
}
