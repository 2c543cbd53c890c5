package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.receipt.CoordinatorKey;
import dev.pinaivu.core.receipt.DispatchToken;
import dev.pinaivu.core.receipt.SignedDispatchToken;
import dev.pinaivu.core.receipt.SigningContext;
import dev.pinaivu.core.receipt.Verification;
import java.io.IOException;

/**
 * Reads a dispatch token's wire form back into a {@link SignedDispatchToken}, accepting only tokens
 * that one given coordinator key signed. The coordinator uses it at settle time (a token from
 * another coordinator, or a restarted one, is refused); the gateway uses it to check what came back
 * from {@code dispatch}. Nodes use {@link dev.pinaivu.core.receipt.DispatchTokenVerifier} instead.
 */
public final class TokenWire {
  /** Far above any real token (a few hundred bytes); a bound before any decoding. */
  static final int MAX_CHARS = 8192;

  private TokenWire() {}

  public static Verification<SignedDispatchToken> read(String wire, CoordinatorKey signer) {
    if (wire == null || wire.isEmpty() || wire.length() > MAX_CHARS) {
      return Verification.invalid("dispatch token is missing or longer than " + MAX_CHARS);
    }
    String[] parts = wire.split("\\.", -1);
    if (parts.length != 2) {
      return Verification.invalid("dispatch token must be <payload>.<signature>");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = B64.decode(parts[0]);
      signature = B64.decode(parts[1]);
    } catch (IllegalArgumentException e) {
      return Verification.invalid("dispatch token: " + e.getMessage());
    }
    byte[] message = SigningContext.DISPATCH_TOKEN.message(payload);
    if (!Ed25519.verify(signer.publicKey(), message, signature)) {
      return Verification.invalid(
          "dispatch token was not signed by this coordinator (key " + signer.keyId() + ")");
    }
    return parse(payload, wire, signer);
  }

  private static Verification<SignedDispatchToken> parse(
      byte[] payload, String wire, CoordinatorKey signer) {
    DispatchToken token;
    try {
      token = Json.MAPPER.readValue(payload, DispatchToken.class);
    } catch (IOException | IllegalArgumentException e) {
      return Verification.invalid(
          "dispatch token is malformed: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (!signer.keyId().equals(token.coordinatorKeyId())) {
      return Verification.invalid("dispatch token names another coordinator key");
    }
    return Verification.valid(new SignedDispatchToken(token, wire));
  }
}
