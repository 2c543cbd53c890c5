package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.json.StrictJson;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a receipt offline: the envelope, the coordinator key (trusted, and not a development key
 * unless allowed), the signature over the canonical receipt as received, then every rule of {@link
 * ReceiptChecks}. Each failure is one line naming the field at fault. The steps are those of
 * docs/receipts.md, "What a verifier checks", in the same order.
 */
public final class ReceiptVerifier {
  /** Receipts are a few KiB; this bounds the work an untrusted file can cause. */
  public static final int MAX_BYTES = 1 << 20;

  private final TrustedKeys keys;

  public ReceiptVerifier(TrustedKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** Verifies the envelope JSON text of a receipt, as stored or served. */
  public Verification<Receipt> verify(byte[] envelopeJson) {
    if (envelopeJson.length > MAX_BYTES) {
      return Verification.invalid("the receipt file is larger than " + MAX_BYTES + " bytes");
    }
    JsonNode envelope;
    try {
      envelope = StrictJson.parse(envelopeJson);
    } catch (IllegalArgumentException e) {
      return Verification.invalid("not a JSON receipt: " + e.getMessage());
    }
    return verify(envelope);
  }

  public Verification<Receipt> verify(SignedReceipt signed) {
    return verify(Json.MAPPER.valueToTree(signed));
  }

  public Verification<Receipt> verify(JsonNode envelope) {
    Optional<String> shape = envelopeShape(envelope);
    if (shape.isPresent()) {
      return Verification.invalid(shape.get());
    }
    String keyId = envelope.get("key_id").textValue();
    Verification<CoordinatorKey> key = keys.find(keyId);
    if (!key.valid()) {
      return key.failure("");
    }
    JsonNode body = envelope.get("receipt");
    Verification<byte[]> message = SignedJson.message(SigningContext.RECEIPT, body, "receipt");
    if (!message.valid()) {
      return message.failure("");
    }
    byte[] signature;
    try {
      signature = Fields.signature(envelope.get("signature").textValue(), "signature");
    } catch (IllegalArgumentException e) {
      return Verification.invalid(e.getMessage());
    }
    if (!SignedJson.verify(key.value().publicKey(), message.value(), signature)) {
      return Verification.invalid(
          "signature does not verify (receipt was altered or signed by another key)"
              + alterationHint(body, keyId));
    }
    Verification<CoordinatorKey> allowed = keys.allowed(key.value());
    if (!allowed.valid()) {
      return allowed.failure("");
    }
    Verification<Receipt> read = SignedJson.read(body, Receipt.class, "receipt");
    if (!read.valid()) {
      return read;
    }
    Optional<String> inconsistent = consistent(read.value(), keyId);
    if (inconsistent.isPresent()) {
      return Verification.invalid(inconsistent.get());
    }
    // the token's prices and limits count only if a trusted coordinator key signed them
    Verification<SignedDispatchToken> token =
        SignedDispatchToken.read(read.value().dispatchToken(), keys);
    if (!token.valid()) {
      return token.failure("");
    }
    return Verification.valid(read.value());
  }

  private static Optional<String> consistent(Receipt receipt, String keyId) {
    if (!receipt.coordinatorKeyId().equals(keyId)) {
      return Optional.of(
          "receipt.coordinator_key_id " + receipt.coordinatorKeyId() + " != key_id " + keyId);
    }
    return ReceiptChecks.firstFailure(receipt);
  }

  /**
   * When the signature fails, the receipt's own rules often point at the edited member (a total
   * that no longer adds up, a hash that no longer matches the node's proof); names it if so.
   */
  private static String alterationHint(JsonNode body, String keyId) {
    Verification<Receipt> read = SignedJson.read(body, Receipt.class, "receipt");
    Optional<String> failure =
        read.valid() ? consistent(read.value(), keyId) : Optional.of(read.reason());
    return failure.map(reason -> "; first inconsistency: " + reason).orElse("");
  }

  private static Optional<String> envelopeShape(JsonNode envelope) {
    if (envelope == null || !envelope.isObject()) {
      return Optional.of("a receipt file is a JSON object {alg, key_id, receipt, signature}");
    }
    for (String member : new String[] {"alg", "key_id", "signature"}) {
      if (!envelope.path(member).isTextual()) {
        return Optional.of("envelope member " + member + " is missing or not a string");
      }
    }
    if (!envelope.path("receipt").isObject()) {
      return Optional.of("envelope member receipt is missing or not an object");
    }
    String alg = envelope.get("alg").textValue();
    if (!SignedReceipt.ALG.equals(alg)) {
      return Optional.of("alg \"" + alg + "\" is not supported (only Ed25519)");
    }
    return Optional.empty();
  }
}
