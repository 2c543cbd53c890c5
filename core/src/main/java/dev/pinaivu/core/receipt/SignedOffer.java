package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Sha256;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;
import dev.pinaivu.core.node.NodeOffer;
import java.util.Optional;

/**
 * A node's offer as it signed it: {@code {"offer": {...}, "signature": "<base64url>"}}, the
 * signature being Ed25519 over {@code "pinaivu/node-offer/v1\n" + JCS(offer)}
 * (docs/node-protocol.md). The offer is kept as the JSON object received, so that the gateway can
 * hand it to the coordinator and a receipt can embed it unchanged: anyone then checks that the
 * prices billed are the ones the node itself asked for.
 */
public record SignedOffer(ObjectNode offer, String signature) {
  public SignedOffer {
    Fields.present(offer, "offer");
    Fields.present(signature, "signature");
    offer = normalized(offer);
  }

  /** The tree as a parser yields it (IntNode for small numbers), so equal JSON compares equal. */
  private static ObjectNode normalized(ObjectNode offer) {
    try {
      return (ObjectNode) Json.parse(Json.bytes(offer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Jackson reads what it wrote", e);
    }
  }

  @Override
  public ObjectNode offer() {
    return offer.deepCopy();
  }

  /** Hex SHA-256 of {@code JCS(offer)}: the {@code offer_sha256} a dispatch token names. */
  public String sha256() {
    return Sha256.hex(CanonicalJson.bytes(offer));
  }

  /** Signs {@code offer} with {@code node}, the key whose id it names. */
  public static SignedOffer sign(NodeOffer offer, NodeKey node) {
    if (!offer.nodeId().equals(node.id())) {
      throw new IllegalArgumentException("the offer names another node than this key's");
    }
    return new SignedOffer(SignedJson.tree(offer), B64.encode(node.signOffer(offer)));
  }

  /**
   * Checks the signature under {@code nodePublicKey} over the canonical offer as received, that the
   * key derives the offer's {@code node_id}, and reads the offer. Reasons start with "node offer:".
   */
  public Verification<NodeOffer> verify(byte[] nodePublicKey) {
    byte[] canonical;
    try {
      canonical = CanonicalJson.bytes(offer);
    } catch (IllegalArgumentException e) {
      return Verification.invalid("node offer cannot be canonicalized: " + e.getMessage());
    }
    byte[] sig;
    try {
      sig = Fields.signature(signature, "signature");
    } catch (IllegalArgumentException e) {
      return Verification.invalid("node offer: " + e.getMessage());
    }
    if (!NodeKey.verifyOffer(nodePublicKey, canonical, sig)) {
      return Verification.invalid("node offer: signature does not verify under the node's key");
    }
    Verification<NodeOffer> read = SignedJson.read(offer, NodeOffer.class, "offer");
    if (!read.valid()) {
      return read.failure("node offer: ");
    }
    if (!NodeId.of(nodePublicKey).equals(read.value().nodeId())) {
      return Verification.invalid(
          "node offer: node_id " + read.value().nodeId() + " does not derive from the signing key");
    }
    return read;
  }

  /**
   * The offer read without checking its signature: only for an offer that was verified before it
   * was stored, read back from the store it was written to (the node registry's own items).
   */
  public Verification<NodeOffer> readStored() {
    return SignedJson.read(offer, NodeOffer.class, "offer");
  }

  /** The offer of {@code model} in a verified offer; empty when the node does not offer it. */
  public static Optional<ModelOffer> model(NodeOffer offer, String model) {
    return offer.models().stream().filter(m -> m.id().equals(model)).findFirst();
  }

  @Override
  public String toString() {
    return "SignedOffer[" + offer.path("node_id").asText() + ", signature redacted]";
  }
}
