package dev.pinaivu.cli.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.receipt.CoordinatorKey;

/**
 * Reads the gateway's key listing ({@code GET /v1/attestation}):
 *
 * <pre>{"keys": [{"key_id": "hex", "public_key": "base64url", "kind": "dev" | "nitro",
 *            "attestation": "base64" | null}]}</pre>
 *
 * <p>The listing is not trusted: each entry counts only through {@link KeyAttestation}. An entry
 * that fails (bad key, wrong key id, unknown kind, refused attestation) is kept as a refusal.
 */
final class KeyListing {
  private KeyListing() {}

  static KeyTrust read(JsonNode listing, KeyAttestation attestation) throws UnusableInputException {
    JsonNode entries = listing == null ? null : listing.get("keys");
    if (entries == null || !entries.isArray()) {
      throw new UnusableInputException("the key listing has no \"keys\" array");
    }
    KeyTrust trust = KeyTrust.NONE;
    for (JsonNode entry : entries) {
      trust = trust.plus(entry(entry, attestation));
    }
    return trust;
  }

  private static KeyTrust entry(JsonNode entry, KeyAttestation attestation) {
    String keyId = entry.path("key_id").isTextual() ? entry.get("key_id").textValue() : "(missing)";
    byte[] publicKey;
    try {
      publicKey = B64.decode(entry.path("public_key").textValue());
    } catch (IllegalArgumentException e) {
      publicKey = null;
    }
    if (publicKey == null || publicKey.length != Ed25519.KEY_BYTES) {
      return KeyTrust.refusing(keyId, "its public_key is not a base64url 32-byte Ed25519 key");
    }
    if (!CoordinatorKey.keyIdOf(publicKey).equals(keyId)) {
      return KeyTrust.refusing(keyId, "its key_id is not the SHA-256 of its public_key");
    }
    byte[] document;
    try {
      JsonNode text = entry.path("attestation");
      document = text.isTextual() ? Base64Text.decode(text.textValue()) : null;
    } catch (IllegalArgumentException e) {
      return KeyTrust.refusing(keyId, "its attestation is not base64");
    }
    String kind = entry.path("kind").asText("(missing)");
    return switch (kind) {
      case "nitro" ->
          document == null
              ? KeyTrust.refusing(keyId, "it is listed as nitro without an attestation document")
              : attestation.nitro(publicKey, document);
      case "dev" -> attestation.dev(publicKey, document);
      default -> KeyTrust.refusing(keyId, "its kind \"" + kind + "\" is unknown");
    };
  }
}
