package dev.pinaivu.core.receipt;

import dev.pinaivu.core.id.RequestId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code account_ref} of a receipt: HMAC-SHA256 under the account's receipt secret of {@code
 * "pinaivu/account-ref/v1\n" + request_id}, in lower-case hex. Receipts may be public (the
 * transparency log), so the account id never appears, and two receipts of one account cannot be
 * linked by anyone without the secret; the account holder, who has it, can recognise its own.
 */
public final class AccountRef {
  static final String CONTEXT = "pinaivu/account-ref/v1\n";
  private static final int MIN_SECRET_BYTES = 16;

  private AccountRef() {}

  public static String of(byte[] accountSecret, RequestId requestId) {
    if (accountSecret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("an account receipt secret has at least 16 bytes");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(accountSecret, "HmacSHA256"));
      byte[] tag = mac.doFinal((CONTEXT + requestId.value()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
