package dev.pinaivu.core.node;

import dev.pinaivu.core.crypto.Ed25519;
import dev.pinaivu.core.json.CanonicalJson;
import dev.pinaivu.core.json.Json;
import java.nio.charset.StandardCharsets;

/** A node's signing key and the id derived from it. {@code toString} shows only the id. */
public final class NodeKey {
  /** Domain separation: an auth signature can never be replayed as an offer signature. */
  static final String AUTH_CONTEXT = "pinaivu/node-auth/v1\n";

  static final String OFFER_CONTEXT = "pinaivu/node-offer/v1\n";

  private final Ed25519.PrivateKey key;
  private final NodeId id;

  public NodeKey(Ed25519.PrivateKey key) {
    this.key = key;
    this.id = NodeId.of(key.publicKey());
  }

  public static NodeKey generate() {
    return new NodeKey(Ed25519.PrivateKey.generate());
  }

  public NodeId id() {
    return id;
  }

  public byte[] publicKey() {
    return key.publicKey();
  }

  public byte[] seed() {
    return key.seed();
  }

  /**
   * The signing key itself, for the node's proofs ({@code SignedProof.sign}): built once, where
   * rebuilding it from the seed for every proof doubled the cost of signing (78 against 42 us).
   */
  public Ed25519.PrivateKey signingKey() {
    return key;
  }

  /** Answers the gateway's challenge. */
  public byte[] signChallenge(String nonce) {
    return key.sign(challengeMessage(nonce));
  }

  public byte[] signOffer(NodeOffer offer) {
    return key.sign(offerMessage(CanonicalJson.bytes(Json.MAPPER.valueToTree(offer))));
  }

  /**
   * Signs an offer object as it will be sent, members beyond {@link NodeOffer}'s included (such as
   * the optional {@code operator}).
   */
  public byte[] signOffer(com.fasterxml.jackson.databind.node.ObjectNode offer) {
    return key.sign(offerMessage(CanonicalJson.bytes(offer)));
  }

  public static boolean verifyChallenge(byte[] publicKey, String nonce, byte[] signature) {
    return Ed25519.verify(publicKey, challengeMessage(nonce), signature);
  }

  public static boolean verifyOffer(byte[] publicKey, byte[] canonicalOffer, byte[] signature) {
    return Ed25519.verify(publicKey, offerMessage(canonicalOffer), signature);
  }

  private static byte[] challengeMessage(String nonce) {
    return (AUTH_CONTEXT + nonce).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] offerMessage(byte[] canonicalOffer) {
    byte[] prefix = OFFER_CONTEXT.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + canonicalOffer.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(canonicalOffer, 0, out, prefix.length, canonicalOffer.length);
    return out;
  }

  @Override
  public String toString() {
    return "NodeKey[" + id + "]";
  }
}
