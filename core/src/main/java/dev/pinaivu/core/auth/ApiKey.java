package dev.pinaivu.core.auth;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.id.Base32;
import java.security.SecureRandom;

/**
 * A client API key in the clear: {@code sk-pnv-} and 52 base32 digits (256 random bits). It exists
 * only while being shown to its owner once or checked on a request; the stores keep {@link
 * #hash()}. A fast unsalted hash is right here: the secret is random and long, so there is nothing
 * to brute-force, and the hash must be a lookup key.
 */
public final class ApiKey {
  public static final String PREFIX = "sk-pnv-";
  private static final int SECRET_DIGITS = 52;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  public static ApiKey generate() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new ApiKey(PREFIX + Base32.encode(secret));
  }

  /** Parses a presented key; null when it does not even have the shape of one of ours. */
  public static ApiKey parse(String presented) {
    if (presented == null
        || presented.length() != PREFIX.length() + SECRET_DIGITS
        || !presented.startsWith(PREFIX)) {
      return null;
    }
    for (int i = PREFIX.length(); i < presented.length(); i++) {
      if (!Base32.isDigit(presented.charAt(i))) {
        return null;
      }
    }
    return new ApiKey(presented);
  }

  /** The secret itself, for the one moment it is shown to its owner. */
  public String reveal() {
    return value;
  }

  /** Hex SHA-256 of the key: what the stores keep and look up by. */
  public String hash() {
    return Sha256.hex(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** A hint that identifies the key in lists without revealing it: {@code sk-pnv-abcd...wxyz}. */
  public String hint() {
    return value.substring(0, PREFIX.length() + 4) + "..." + value.substring(value.length() - 4);
  }

  @Override
  public String toString() {
    return "ApiKey[" + hint() + "]";
  }
}
