/**
 * What an operator sees of the gateway: one structured access-log line per request ({@link
 * dev.pinaivu.gateway.observability.AccessLog}) and Prometheus metrics ({@link
 * dev.pinaivu.gateway.observability.GatewayMetrics}) served on a listener of their own ({@link
 * dev.pinaivu.gateway.observability.MetricsServer}). The core knows nothing of it: the chat use
 * case tells its sink what it learns, the sink notes it on the request ({@link
 * dev.pinaivu.gateway.observability.RequestNotes}), and gauges read the stores and the node hub.
 * See ADR 24.
 */
package dev.pinaivu.gateway.observability;
