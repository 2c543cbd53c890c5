/**
 * What a request can bill, whatever a node claims: limits computed only from bytes the gateway
 * itself saw (the client's request, the output that reached the client) and from the client's own
 * {@code max_tokens}, so that a client holding its bytes can recompute them (docs/receipts.md,
 * "Usage limits"). Pure functions; the gateway computes the limits, the coordinator applies them
 * before it signs a receipt.
 */
package dev.pinaivu.core.metering;
