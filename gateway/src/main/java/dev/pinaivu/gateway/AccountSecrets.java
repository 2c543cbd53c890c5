package dev.pinaivu.gateway;

import dev.pinaivu.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret behind each account's receipt reference ({@code account_ref}, docs/receipts.md): an
 * HMAC-SHA256 of the account id under one gateway secret, kept in {@code DIR/account-ref-secret}
 * (owner-only). Receipts of one account cannot be linked by outsiders, while the gateway (and the
 * account holder, given their secret) can recognise them.
 */
final class AccountSecrets implements Function<String, byte[]> {
  static final String FILE = "account-ref-secret";
  private final byte[] secret;

  private AccountSecrets(byte[] secret) {
    this.secret = secret;
  }

  static AccountSecrets loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        return new AccountSecrets(HexFormat.of().parseHex(Files.readString(file).strip()));
      }
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      OwnerOnlyFiles.write(
          file, (HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
      return new AccountSecrets(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the account reference secret in " + file, e);
    }
  }

  @Override
  public byte[] apply(String accountId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(accountId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "AccountSecrets[redacted]";
  }
}
