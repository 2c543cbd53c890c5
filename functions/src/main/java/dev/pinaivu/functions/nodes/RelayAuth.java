package dev.pinaivu.functions.nodes;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.protocol.NodeProtocol;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a chat invocation's relay connection proves, at {@code $connect}, that the deployment opened
 * it (ADR 27): an HMAC-SHA256 under the {@code relay-secret} (ADR 25) over {@code pinaivu relay
 * <domain>/<stage> <issued at ms>}, in headers, good for a minute around its time and once (the
 * signature is claimed like a node's). A node cannot open a relay without the secret, so it cannot
 * receive another node's frames.
 */
public final class RelayAuth {
  public static final String ISSUED_AT = "X-Pinaivu-Relay-Issued-At";
  public static final String SIGNATURE = "X-Pinaivu-Relay-Signature";

  /** The secret's name in the deployment's secrets. */
  public static final String SECRET_NAME = "relay-secret";

  private RelayAuth() {}

  /** The headers that open a relay connection to {@code endpoint} at {@code nowMs}. */
  public static Map<String, String> headers(byte[] secret, String endpoint, long nowMs) {
    return Map.of(
        ISSUED_AT, Long.toString(nowMs), SIGNATURE, B64.encode(mac(secret, endpoint, nowMs)));
  }

  /** True when {@code signature} was made with {@code secret} for this endpoint and time. */
  static boolean valid(
      byte[] secret, String endpoint, long issuedAtMs, String signature, long now) {
    if (Math.abs(now - issuedAtMs) > NodeProtocol.CONNECT_WINDOW_MS) {
      return false;
    }
    byte[] given;
    try {
      given = B64.decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(secret, endpoint, issuedAtMs), given);
  }

  private static byte[] mac(byte[] secret, String endpoint, long issuedAtMs) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(
          ("pinaivu relay " + endpoint + " " + issuedAtMs).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
