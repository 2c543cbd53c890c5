package dev.pinaivu.core.translog;

import dev.pinaivu.core.crypto.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 value in the Merkle tree: a leaf hash, an interior node hash or a root. The
 * leaf and node prefixes (RFC 9162 §2.1.1) keep a leaf from ever being passed off as a node.
 */
public record Hash(byte[] bytes) {
  public static final int BYTES = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(Sha256::newDigest);

  /** MTH({}) = SHA-256(), the root of the empty tree. */
  public static final Hash EMPTY_TREE = new Hash(Sha256.digest(new byte[0]));

  public Hash {
    if (bytes == null || bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "a tree hash is 32 bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    bytes = bytes.clone();
  }

  /** SHA-256(0x00 || data). */
  public static Hash leaf(byte[] data) {
    MessageDigest digest = DIGEST.get();
    digest.update(LEAF_PREFIX);
    digest.update(data);
    return new Hash(digest.digest());
  }

  /** SHA-256(0x01 || left || right). */
  public static Hash node(Hash left, Hash right) {
    MessageDigest digest = DIGEST.get();
    digest.update(NODE_PREFIX);
    digest.update(left.bytes);
    digest.update(right.bytes);
    return new Hash(digest.digest());
  }

  public static Hash fromHex(String hex) {
    return new Hash(HexFormat.of().parseHex(hex));
  }

  /** Standard, padded base64 (RFC 4648 §4), as in checkpoints; rejects any other spelling. */
  public static Hash fromBase64(String text) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not standard base64: " + text, e);
    }
    Hash hash = new Hash(decoded);
    if (!hash.base64().equals(text)) {
      throw new IllegalArgumentException("not canonical padded base64: " + text);
    }
    return hash;
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}, for compact storage. */
  void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, BYTES);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash hash && Arrays.equals(bytes, hash.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
