package dev.pinaivu.core.receipt;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import java.util.regex.Pattern;

/** Shape checks shared by the signed records' constructors; messages name the JSON member. */
final class Fields {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private Fields() {}

  static String sha256Hex(String value, String field) {
    if (value == null || !SHA256_HEX.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be 64 lower-case hex digits");
    }
    return value;
  }

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value;
  }

  static String model(String value) {
    if (value == null || value.isBlank() || value.length() > 256) {
      throw new IllegalArgumentException("model must be 1..256 characters, not blank");
    }
    return value;
  }

  /** A token count: 0 … 2^53 − 1, the integers every JSON reader holds exactly. */
  static long count(long value, String field) {
    if (value < 0 || value > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(field + " must be 0..2^53-1, got " + value);
    }
    return value;
  }

  static long millis(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " cannot be negative");
    }
    return value;
  }

  static void version(int value, int supported, String document) {
    if (value != supported) {
      throw new IllegalArgumentException(
          document
              + " version v="
              + value
              + " is not supported (this code reads v="
              + supported
              + ")");
    }
  }

  /** A base64url (unpadded) Ed25519 public key. */
  static byte[] publicKey(String value, String field) {
    byte[] key;
    try {
      key = B64.decode(present(value, field));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not base64url", e);
    }
    if (key.length != Ed25519.KEY_BYTES || !B64.encode(key).equals(value)) {
      throw new IllegalArgumentException(field + " must be 32 bytes in unpadded base64url");
    }
    return key;
  }

  /** A base64url (unpadded) Ed25519 signature. */
  static byte[] signature(String value, String field) {
    byte[] sig;
    try {
      sig = B64.decode(present(value, field));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not base64url", e);
    }
    if (sig.length != Ed25519.SIGNATURE_BYTES || !B64.encode(sig).equals(value)) {
      throw new IllegalArgumentException(field + " must be 64 bytes in unpadded base64url");
    }
    return sig;
  }
}
