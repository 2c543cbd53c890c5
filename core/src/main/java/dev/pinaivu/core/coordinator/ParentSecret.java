package dev.pinaivu.core.coordinator;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte secret the coordinator and its parent (the gateway) share, by which each proves to
 * the other that it is who the connection claims ({@link ParentAuth}). Written as 64 hex digits
 * ({@link ParentSecretFile}); it never leaves the two processes and never prints.
 */
public final class ParentSecret {
  public static final int BYTES = 32;

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;

  private ParentSecret(byte[] secret) {
    this.secret = secret;
  }

  /** A new random secret. */
  public static ParentSecret generate() {
    byte[] secret = new byte[BYTES];
    RANDOM.nextBytes(secret);
    return new ParentSecret(secret);
  }

  /** The secret made of exactly {@link #BYTES} bytes (copied). */
  public static ParentSecret of(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length != BYTES) {
      throw new IllegalArgumentException(
          "a parent secret is " + BYTES + " bytes, not " + secret.length);
    }
    return new ParentSecret(secret.clone());
  }

  /**
   * Reads 64 hex digits (either case; surrounding white space, such as a final newline, is
   * ignored).
   *
   * @throws IllegalArgumentException for anything else, without echoing it
   */
  public static ParentSecret parse(String text) {
    String hex = Objects.requireNonNull(text, "text").strip();
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a parent secret is 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`");
    }
    return new ParentSecret(HexFormat.of().parseHex(hex));
  }

  /** The 64 lowercase hex digits {@link #parse} reads. */
  public String hex() {
    return HexFormat.of().formatHex(secret);
  }

  /** The raw bytes (a copy), for sealing. */
  public byte[] bytes() {
    return secret.clone();
  }

  /** HMAC-SHA256 under this secret of the parts, concatenated. */
  byte[] hmac(byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "ParentSecret[redacted]";
  }
}
