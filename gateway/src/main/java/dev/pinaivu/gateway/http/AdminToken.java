package dev.pinaivu.gateway.http;

import dev.pinaivu.core.auth.ApiKey;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.id.Base32;
import dev.pinaivu.core.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The operator's credential for {@code /admin/v1}: 256 random bits, the secret {@code admin-token}
 * (locally made on first start in {@code DIR/admin-token}, owner-only), different in shape from
 * client keys so neither can pass for the other. Only its SHA-256 is held in memory, and presented
 * tokens are compared by digest in constant time.
 */
public final class AdminToken {
  public static final String FILE = "admin-token";
  static final String PREFIX = "pnv-admin-";
  private static final int MIN_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] digest;

  private AdminToken(String token) {
    this.digest = Sha256.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of {@code secrets}, made on first start where the store makes its own. */
  public static AdminToken from(Secrets secrets) {
    String token = secrets.secret(FILE, AdminToken::fresh);
    if (token.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          "the admin token (secret " + FILE + ") is shorter than " + MIN_LENGTH + " characters");
    }
    return new AdminToken(token);
  }

  private static String fresh() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base32.encode(secret);
  }

  /**
   * Lets the request through only with {@code Authorization: Bearer <admin token>}: 401 without it
   * or with a wrong one, 403 for a client key (which is never even looked up).
   */
  void check(String authorizationHeader) {
    String header = authorizationHeader == null ? "" : authorizationHeader.strip();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          ErrorKind.AUTHENTICATION,
          "The admin API needs 'Authorization: Bearer <admin token>'; the token is in the"
              + " gateway's data directory, file '"
              + FILE
              + "'.",
          null,
          "invalid_admin_token");
    }
    String presented = header.substring(7).strip();
    if (presented.startsWith(ApiKey.PREFIX)) {
      throw new ApiException(
          ErrorKind.PERMISSION,
          "Client API keys cannot use the admin API; use the admin token.",
          null,
          "client_key_not_allowed");
    }
    byte[] candidate = Sha256.digest(presented.getBytes(StandardCharsets.UTF_8));
    if (!MessageDigest.isEqual(candidate, digest)) {
      throw new ApiException(
          ErrorKind.AUTHENTICATION, "Incorrect admin token provided.", null, "invalid_admin_token");
    }
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
