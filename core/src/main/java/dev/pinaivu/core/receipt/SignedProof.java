package dev.pinaivu.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.crypto.B64;
import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.node.NodeKey;

/**
 * A node's proof of inference as it travels: {@code {"proof": {...}, "signature": "<base64url>"}}.
 * The proof is kept as the JSON object received, so the signature is checked over exactly what the
 * node signed (unknown members included) and a receipt can embed it unchanged.
 */
public record SignedProof(ObjectNode proof, String signature) {
  public SignedProof {
    Fields.present(proof, "proof");
    Fields.present(signature, "signature");
    proof = normalized(proof);
  }

  @Override
  public ObjectNode proof() {
    return proof.deepCopy();
  }

  /** The tree as a parser yields it (IntNode for small numbers), so equal JSON compares equal. */
  private static ObjectNode normalized(ObjectNode proof) {
    try {
      return (ObjectNode) Json.parse(Json.bytes(proof));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Jackson reads what it wrote", e);
    }
  }

  public static SignedProof sign(ProofOfInference proof, NodeKey node) {
    return sign(proof, node.signingKey());
  }

  /** Signs {@code proof} with the node key whose id it names. */
  public static SignedProof sign(ProofOfInference proof, Ed25519.PrivateKey node) {
    if (!NodeId.of(node.publicKey()).equals(proof.nodeId())) {
      throw new IllegalArgumentException("the proof names another node than this key's");
    }
    byte[] signature = node.sign(SignedJson.message(SigningContext.PROOF, proof));
    return new SignedProof(SignedJson.tree(proof), B64.encode(signature));
  }

  /**
   * Checks the signature under {@code nodePublicKey}, that the key derives the proof's {@code
   * node_id}, and reads the proof. Reasons start with "node proof:".
   */
  public Verification<ProofOfInference> verify(byte[] nodePublicKey) {
    Verification<byte[]> message = SignedJson.message(SigningContext.PROOF, proof, "proof");
    if (!message.valid()) {
      return message.failure("node proof: ");
    }
    byte[] sig;
    try {
      sig = Fields.signature(signature, "signature");
    } catch (IllegalArgumentException e) {
      return Verification.invalid("node proof: " + e.getMessage());
    }
    if (!SignedJson.verify(nodePublicKey, message.value(), sig)) {
      return Verification.invalid(
          "node proof: signature does not verify under the node's public key");
    }
    Verification<ProofOfInference> read = SignedJson.read(proof, ProofOfInference.class, "proof");
    if (!read.valid()) {
      return read.failure("node proof: ");
    }
    if (!NodeId.of(nodePublicKey).equals(read.value().nodeId())) {
      return Verification.invalid(
          "node proof: node_id " + read.value().nodeId() + " does not derive from the signing key");
    }
    return read;
  }

  @Override
  public String toString() {
    return "SignedProof[" + proof.path("request_id").asText() + ", signature redacted]";
  }
}
