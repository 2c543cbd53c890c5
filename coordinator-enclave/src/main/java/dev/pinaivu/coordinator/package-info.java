/**
 * The coordinator as a process: {@link dev.pinaivu.coordinator.CoordinatorServer} speaks the
 * coordinator protocol (docs/coordinator-protocol.md) on loopback TCP, one virtual thread per
 * connection and per request; {@link dev.pinaivu.coordinator.CoordinatorMain} boots the key and the
 * server. In an enclave a vsock bridge forwards to the same loopback port; {@code nsm} attests the
 * key there and {@code kms} seals state across restarts (docs/enclave.md).
 */
package dev.pinaivu.coordinator;
