package dev.pinaivu.core.node;

import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.receipt.SignedOffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * A node as it joined the network on one connection: the key it proved, the APIs it runs and its
 * first accepted offer. Written by whoever holds the connection, after the node's signatures were
 * checked; read by routing.
 *
 * @param connection names the connection that holds the node (unique across processes); a newer
 *     connection of the same node replaces the entry
 * @param publicKey the Ed25519 key the node authenticated with, 32 bytes
 * @param signed the offer exactly as the node signed it
 * @param offer {@code signed}, read and verified
 * @param connectedAtMs when the connection opened: the newer of two connections wins
 */
public record NodeEntry(
    NodeId nodeId,
    String connection,
    byte[] publicKey,
    Set<ApiKind> apis,
    SignedOffer signed,
    NodeOffer offer,
    long connectedAtMs) {
  public NodeEntry {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(signed, "signed");
    Objects.requireNonNull(offer, "offer");
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("a node's public key is 32 bytes");
    }
    if (!offer.nodeId().equals(nodeId)) {
      throw new IllegalArgumentException("the offer names another node than " + nodeId);
    }
    publicKey = publicKey.clone();
    apis = Set.copyOf(apis);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The same node on the same connection with a newer offer. */
  public NodeEntry withOffer(SignedOffer newSigned, NodeOffer newOffer) {
    return new NodeEntry(nodeId, connection, publicKey, apis, newSigned, newOffer, connectedAtMs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeEntry e
        && nodeId.equals(e.nodeId)
        && connection.equals(e.connection)
        && Arrays.equals(publicKey, e.publicKey)
        && apis.equals(e.apis)
        && signed.equals(e.signed)
        && offer.equals(e.offer)
        && connectedAtMs == e.connectedAtMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeId, connection, Arrays.hashCode(publicKey), offer, connectedAtMs);
  }

  @Override
  public String toString() {
    return "NodeEntry[" + nodeId + " on " + connection + ", capacity " + offer.capacity() + "]";
  }
}
