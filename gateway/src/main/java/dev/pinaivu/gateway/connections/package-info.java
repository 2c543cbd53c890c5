/**
 * How the gateway's Jetty server treats the connections of clients it cannot trust: a cap per
 * client address and one for the process ({@link dev.pinaivu.gateway.connections.ClientLimits}),
 * and a deadline for every request head. {@link dev.pinaivu.gateway.connections.GatewayConnector}
 * puts them on the one connector that serves both the API and the nodes' WebSocket endpoint.
 */
package dev.pinaivu.gateway.connections;
