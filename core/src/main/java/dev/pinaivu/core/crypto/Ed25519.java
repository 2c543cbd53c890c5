package dev.pinaivu.core.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Ed25519 (RFC 8032) over BouncyCastle's lightweight API, which signs about 15x faster than the JDK
 * provider on this hardware (see research; {@code Ed25519Bench} in the tests). Keys are raw:
 * 32-byte seed, 32-byte public key. Public keys are parsed (the point decoded) once and kept: a
 * process verifies under a handful of keys (its coordinator's, its nodes'), thousands of times.
 */
public final class Ed25519 {
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int ALGORITHM = org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519;

  /**
   * Parsed public keys by their bytes; emptied when full, so keys sent by strangers stay bounded.
   */
  private static final int PARSED_CAPACITY = 4096;

  private static final Map<ByteBuffer, Ed25519PublicKeyParameters> PARSED =
      new ConcurrentHashMap<>();

  private Ed25519() {}

  /** A private key: the 32-byte seed. {@code toString} never shows it. */
  public static final class PrivateKey {
    private final Ed25519PrivateKeyParameters params;
    private final Ed25519PublicKeyParameters publicParams;
    private final byte[] publicKey;

    private PrivateKey(Ed25519PrivateKeyParameters params) {
      this.params = params;
      this.publicParams = params.generatePublicKey();
      this.publicKey = publicParams.getEncoded();
    }

    public static PrivateKey generate() {
      return new PrivateKey(new Ed25519PrivateKeyParameters(RANDOM));
    }

    public static PrivateKey fromSeed(byte[] seed) {
      if (seed.length != KEY_BYTES) {
        throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
      }
      return new PrivateKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public byte[] seed() {
      return params.getEncoded();
    }

    public byte[] publicKey() {
      return publicKey.clone();
    }

    public byte[] sign(byte[] message) {
      byte[] signature = new byte[SIGNATURE_BYTES];
      params.sign(ALGORITHM, publicParams, null, message, 0, message.length, signature, 0);
      return signature;
    }

    @Override
    public String toString() {
      return "Ed25519.PrivateKey[redacted]";
    }
  }

  /**
   * True when {@code signature} is a valid signature of {@code message} under {@code publicKey}.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || publicKey.length != KEY_BYTES) {
      return false;
    }
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    Ed25519PublicKeyParameters key = parsed(publicKey);
    return key != null && key.verify(ALGORITHM, null, message, 0, message.length, signature, 0);
  }

  /** The parsed key, or null when the bytes are not a point on the curve. */
  private static Ed25519PublicKeyParameters parsed(byte[] publicKey) {
    ByteBuffer bytes = ByteBuffer.wrap(publicKey.clone());
    Ed25519PublicKeyParameters known = PARSED.get(bytes);
    if (known != null) {
      return known;
    }
    Ed25519PublicKeyParameters key;
    try {
      key = new Ed25519PublicKeyParameters(bytes.array(), 0);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (PARSED.size() >= PARSED_CAPACITY) {
      PARSED.clear();
    }
    PARSED.put(bytes, key);
    return key;
  }
}
