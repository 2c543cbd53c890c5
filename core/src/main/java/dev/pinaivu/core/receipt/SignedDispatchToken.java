package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A dispatch token with its signature, in the compact wire form {@code base64url(JCS(token)) + "."
 * + base64url(signature)}, where the signature is Ed25519 over {@code "pinaivu/dispatch-token/v1\n"
 * + JCS(token)}. The signature is checked over the payload bytes as shipped; the payload must also
 * be canonical, so each token has exactly one wire form.
 *
 * @param wire the compact form; its SHA-256 is the {@code dispatch_token_sha256} of proofs and
 *     receipts
 */
public record SignedDispatchToken(DispatchToken token, String wire) {
  /** Far above any real token (a few hundred bytes); a bound before any decoding. */
  static final int MAX_WIRE_CHARS = 8192;

  public SignedDispatchToken {
    Fields.present(token, "token");
    Fields.present(wire, "wire");
  }

  /** Signs {@code token} with the coordinator key it names. */
  public static SignedDispatchToken sign(DispatchToken token, Ed25519.PrivateKey coordinator) {
    if (!CoordinatorKey.keyIdOf(coordinator.publicKey()).equals(token.coordinatorKeyId())) {
      throw new IllegalArgumentException("the token names another coordinator key");
    }
    byte[] payload = CanonicalJson.bytes(token);
    byte[] signature = coordinator.sign(SigningContext.DISPATCH_TOKEN.message(payload));
    return new SignedDispatchToken(token, B64.encode(payload) + "." + B64.encode(signature));
  }

  /** Lower-case hex SHA-256 of the ASCII wire form. */
  public String sha256() {
    return sha256Of(wire);
  }

  /** The {@code dispatch_token_sha256} of a wire form (its bytes; a valid one is ASCII). */
  public static String sha256Of(String wire) {
    return Sha256.hex(wire.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a wire token back, accepting only one that {@code signer} signed and that names it. Nodes
   * use {@link DispatchTokenVerifier}, which also checks node, request, model and expiry; the
   * gateway reads what its coordinator returned with {@link #issuedBy}.
   */
  public static Verification<SignedDispatchToken> read(String wire, CoordinatorKey signer) {
    return read(wire, new TrustedKeys(List.of(signer), true));
  }

  /**
   * Reads a token that {@code issuer}, a coordinator on a connection that proved the parent secret
   * (ADR 16), just returned, without checking its Ed25519 signature again (ADR 30): the node checks
   * it before it runs the job ({@link DispatchTokenVerifier}) and the coordinator before it
   * settles, so a token it did not sign buys nothing. The form is checked as in {@link
   * #read(String, TrustedKeys)} (canonical payload, a 64-byte signature, every member valid), and
   * the token must name {@code issuer}'s key, so a restarted coordinator's tokens are not taken for
   * this one's.
   */
  public static Verification<SignedDispatchToken> issuedBy(String wire, CoordinatorKey issuer) {
    if (wire == null || wire.isEmpty()) {
      return Verification.invalid("dispatch token is missing");
    }
    Verification<Parts> parts = split(wire);
    if (!parts.valid()) {
      return parts.failure("");
    }
    Verification<DispatchToken> token =
        SignedJson.read(parts.value().payload(), DispatchToken.class, "dispatch token");
    if (!token.valid()) {
      return token.failure("");
    }
    if (!issuer.keyId().equals(token.value().coordinatorKeyId())) {
      return Verification.invalid(
          "dispatch token names coordinator key "
              + token.value().coordinatorKeyId()
              + ", not the answering coordinator's "
              + issuer.keyId());
    }
    return Verification.valid(new SignedDispatchToken(token.value(), wire));
  }

  /**
   * Reads a wire token signed by one of {@code keys} (the key its {@code coordinator_key_id}
   * names): the coordinator at settle time (its own key and the predecessors its log proved), and
   * receipt verifiers for the token a receipt embeds. A development key counts only when {@code
   * keys} allows them.
   */
  public static Verification<SignedDispatchToken> read(String wire, TrustedKeys keys) {
    if (wire == null || wire.isEmpty()) {
      return Verification.invalid("dispatch token is missing");
    }
    Verification<Parts> parts = split(wire);
    if (!parts.valid()) {
      return parts.failure("");
    }
    Verification<CoordinatorKey> key =
        keys.find(parts.value().payload().path("coordinator_key_id").textValue());
    if (!key.valid()) {
      return key.failure("dispatch token: ");
    }
    byte[] message = SigningContext.DISPATCH_TOKEN.message(parts.value().payloadBytes());
    if (!SignedJson.verify(key.value().publicKey(), message, parts.value().signature())) {
      return Verification.invalid(
          "dispatch token was not signed by coordinator key " + key.value().keyId());
    }
    Verification<CoordinatorKey> allowed = keys.allowed(key.value());
    if (!allowed.valid()) {
      return allowed.failure("dispatch token: ");
    }
    Verification<DispatchToken> token =
        SignedJson.read(parts.value().payload(), DispatchToken.class, "dispatch token");
    if (!token.valid()) {
      return token.failure("");
    }
    return Verification.valid(new SignedDispatchToken(token.value(), wire));
  }

  /**
   * The token a wire form carries, read without checking its signature: for one that was verified
   * before (inside a verified receipt, say). Empty when it is malformed.
   */
  public static Optional<DispatchToken> payload(String wire) {
    Verification<Parts> parts = split(wire);
    if (!parts.valid()) {
      return Optional.empty();
    }
    Verification<DispatchToken> token =
        SignedJson.read(parts.value().payload(), DispatchToken.class, "dispatch token");
    return token.valid() ? Optional.of(token.value()) : Optional.empty();
  }

  /** The parts of a wire token, decoded and shape-checked but not yet verified. */
  record Parts(JsonNode payload, byte[] payloadBytes, byte[] signature) {}

  static Verification<Parts> split(String wire) {
    if (wire == null || wire.isEmpty()) {
      return Verification.invalid("the job carries no dispatch token");
    }
    if (wire.length() > MAX_WIRE_CHARS) {
      return Verification.invalid(
          "dispatch token is longer than " + MAX_WIRE_CHARS + " characters");
    }
    String[] parts = wire.split("\\.", -1);
    if (parts.length != 2) {
      return Verification.invalid("dispatch token must be <payload>.<signature>");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = B64.decode(parts[0]);
      signature = Fields.signature(parts[1], "dispatch token signature");
    } catch (IllegalArgumentException e) {
      return Verification.invalid("dispatch token: " + e.getMessage());
    }
    JsonNode tree;
    try {
      tree = Json.parse(payload);
    } catch (JsonProcessingException e) {
      return Verification.invalid("dispatch token payload is not JSON: " + e.getOriginalMessage());
    }
    Verification<byte[]> canonical =
        SignedJson.message(SigningContext.DISPATCH_TOKEN, tree, "dispatch token payload");
    if (!canonical.valid()) {
      return canonical.failure("");
    }
    if (!Arrays.equals(SigningContext.DISPATCH_TOKEN.message(payload), canonical.value())
        || !B64.encode(payload).equals(parts[0])) {
      return Verification.invalid("dispatch token payload is not in canonical form (RFC 8785)");
    }
    return Verification.valid(new Parts(tree, payload, signature));
  }

  @Override
  public String toString() {
    return "SignedDispatchToken[" + token.requestId() + " -> " + token.nodeId() + "]";
  }
}
