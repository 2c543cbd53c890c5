package dev.pinaivu.core.translog;

import dev.pinaivu.core.crypto.Ed25519;
import java.nio.charset.StandardCharsets;

/** Signs note texts with an Ed25519 key under a key name (signature type 0x01 of signed-note). */
public final class NoteSigner {
  private final String keyName;
  private final Ed25519.PrivateKey key;
  private final NoteVerifier verifier;

  public NoteSigner(String keyName, Ed25519.PrivateKey key) {
    this.verifier = new NoteVerifier(keyName, key.publicKey());
    this.keyName = keyName;
    this.key = key;
  }

  public String keyName() {
    return keyName;
  }

  public int keyId() {
    return verifier.keyId();
  }

  /** The verifier for this key, to hand to clients. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /**
   * Signs the UTF-8 bytes of {@code text}, which is the whole note text, final newline included.
   */
  public NoteSignature sign(String text) {
    if (!text.endsWith("\n")) {
      throw new InvalidNoteException("a note text ends with a newline");
    }
    NoteText.requireValid(text, "the note text");
    return new NoteSignature(keyName, keyId(), key.sign(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "NoteSigner[" + keyName + " " + String.format("%08x", keyId()) + " redacted]";
  }
}
