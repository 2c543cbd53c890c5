package dev.pinaivu.core.node;

import java.util.List;
import java.util.Objects;

/**
 * What a node offers the network, signed by the node key. The signature covers the canonical JSON
 * (RFC 8785) of exactly the object received, so a gateway verifies before it maps to this record.
 *
 * @param capacity how many jobs the node runs at once
 */
public record NodeOffer(NodeId nodeId, long issuedAtMs, int capacity, List<ModelOffer> models) {
  public static final int MAX_MODELS = 256;

  public NodeOffer {
    Objects.requireNonNull(nodeId, "nodeId");
    models = List.copyOf(models);
    if (capacity < 1 || capacity > 10_000) {
      throw new IllegalArgumentException("capacity must be 1..10000");
    }
    if (models.size() > MAX_MODELS) {
      throw new IllegalArgumentException("at most " + MAX_MODELS + " models per offer");
    }
  }
}
