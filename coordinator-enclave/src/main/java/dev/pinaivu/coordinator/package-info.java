/**
 * The coordinator as a process: {@link dev.pinaivu.coordinator.CoordinatorServer} speaks the
 * coordinator protocol (docs/coordinator-protocol.md) on loopback TCP, one virtual thread per
 * connection and per request, each connection first proving it is the parent's ({@link
 * dev.pinaivu.coordinator.ParentHandshake}); {@link dev.pinaivu.coordinator.CoordinatorMain} boots
 * the key and the server, and {@link dev.pinaivu.coordinator.CoordinatorSecretCommand} makes the
 * parent secret on the parent. In an enclave a vsock bridge forwards to the same loopback port;
 * {@code nsm} attests the key there and {@code kms} seals state across restarts and brings in the
 * parent secret (docs/enclave.md).
 */
package dev.pinaivu.coordinator;
