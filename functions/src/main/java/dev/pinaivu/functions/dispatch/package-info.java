/**
 * Jobs dispatched from a Lambda invocation to nodes on the WebSocket API (ADR 27): the job frame
 * goes to the node's connection through the management API, and the node's frames come back,
 * relayed by {@code $default}, on the invocation's own relay connection to the same API.
 */
package dev.pinaivu.functions.dispatch;
