/**
 * What the gateway runs around its coordinator client ({@link
 * dev.pinaivu.core.coordinator.client.TcpCoordinator}, in core so the Lambda functions use the same
 * one): the log's checkpoint ticker, settlement retries after a restart, the stored log.
 */
package dev.pinaivu.gateway.coordinator;
