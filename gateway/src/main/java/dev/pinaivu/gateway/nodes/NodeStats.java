package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.node.NodeId;

/**
 * One live node as the operator's metrics see it; the counts are since its current connection.
 *
 * @param successes jobs it delivered
 * @param failures jobs that failed on it (before or after output)
 */
public record NodeStats(
    NodeId nodeId, int activeJobs, int capacity, long successes, long failures) {}
