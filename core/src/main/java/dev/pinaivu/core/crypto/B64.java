package dev.pinaivu.core.crypto;

import java.util.Base64;

/** Unpadded base64url, the encoding of every key, nonce and signature on the wire. */
public final class B64 {
  private B64() {}

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes, or throws {@link IllegalArgumentException} with a message fit for a client. */
  public static byte[] decode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing base64url value");
    }
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not base64url: " + e.getMessage(), e);
    }
  }
}
