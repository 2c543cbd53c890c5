package dev.pinaivu.gateway.nodes;

import dev.pinaivu.core.node.NodeId;
import dev.pinaivu.core.reputation.Standing;

/**
 * One live node as the operator's metrics see it; the counts are since its current connection.
 *
 * @param successes jobs it delivered
 * @param failures jobs that failed on it (before or after output)
 * @param standing its reputation, phase and capacity cap, kept across its connections (ADR 22)
 */
public record NodeStats(
    NodeId nodeId,
    int activeJobs,
    int capacity,
    long successes,
    long failures,
    Standing standing) {}
