package dev.pinaivu.core.routing;

import dev.pinaivu.core.node.ModelOffer;
import dev.pinaivu.core.node.NodeId;

/** One live node's offer of one model, and since when the node has been connected. */
public record LiveOffer(NodeId nodeId, ModelOffer offer, long connectedAtMs) {}
