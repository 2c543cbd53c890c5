package dev.pinaivu.core.translog;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a signed note: {@code — <key name> base64(key id || signature)}, where the
 * key id is a big-endian uint32 and the signature is algorithm-specific (64 bytes for Ed25519).
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  static final String PREFIX = "\u2014 ";

  public NoteSignature {
    NoteText.requireKeyName(keyName);
    if (signature == null || signature.length == 0) {
      throw new InvalidNoteException("the signature by " + keyName + " is empty");
    }
    signature = signature.clone();
  }

  /** Parses one line, without its newline. */
  public static NoteSignature parseLine(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new InvalidNoteException("a signature line starts with an em dash and a space");
    }
    String rest = line.substring(PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new InvalidNoteException("a signature line is \"— <key name> <base64>\": " + line);
    }
    String keyName = rest.substring(0, space);
    String encoded = rest.substring(space + 1);
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidNoteException("the signature by " + keyName + " is not base64", e);
    }
    if (!Base64.getEncoder().encodeToString(blob).equals(encoded)) {
      throw new InvalidNoteException("the signature by " + keyName + " is not canonical base64");
    }
    if (blob.length <= Integer.BYTES) {
      throw new InvalidNoteException("the signature by " + keyName + " has no bytes after its id");
    }
    int keyId = ByteBuffer.wrap(blob).getInt();
    return new NoteSignature(keyName, keyId, Arrays.copyOfRange(blob, Integer.BYTES, blob.length));
  }

  /** The line, without its newline. */
  public String line() {
    byte[] blob =
        ByteBuffer.allocate(Integer.BYTES + signature.length).putInt(keyId).put(signature).array();
    return PREFIX + keyName + " " + Base64.getEncoder().encodeToString(blob);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteSignature that
        && keyName.equals(that.keyName)
        && keyId == that.keyId
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * keyName.hashCode() + keyId) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyName + " " + String.format("%08x", keyId) + " redacted]";
  }
}
