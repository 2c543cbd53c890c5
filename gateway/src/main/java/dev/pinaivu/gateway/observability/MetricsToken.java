package dev.pinaivu.gateway.observability;

import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.files.OwnerOnlyFiles;
import dev.pinaivu.core.id.Base32;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The scraper's credential for {@code /metrics}: 256 random bits in {@code DIR/metrics-token}
 * (owner-only), made on first start. It grants reading the metrics and nothing else, so the
 * monitoring system never holds the admin token. Only its SHA-256 is held; presented tokens are
 * compared by digest in constant time.
 */
public final class MetricsToken {
  public static final String FILE = "metrics-token";
  private static final String PREFIX = "pnv-metrics-";
  private static final int MIN_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] digest;

  private MetricsToken(String token) {
    this.digest = Sha256.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the token of {@code dataDir}, creating it on first start. */
  public static MetricsToken ensure(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.length() < MIN_LENGTH) {
          throw new IllegalStateException(
              "the metrics token in " + file + " is shorter than " + MIN_LENGTH + " characters");
        }
        return new MetricsToken(token);
      }
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      String token = PREFIX + Base32.encode(secret);
      OwnerOnlyFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
      return new MetricsToken(token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the metrics token in " + file, e);
    }
  }

  /** Whether {@code authorizationHeader} is {@code Bearer <this token>}. */
  boolean admits(String authorizationHeader) {
    String header = authorizationHeader == null ? "" : authorizationHeader.strip();
    if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] candidate = Sha256.digest(header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(candidate, digest);
  }

  @Override
  public String toString() {
    return "MetricsToken[redacted]";
  }
}
