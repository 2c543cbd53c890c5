/**
 * The gateway's adapter to the coordinator: {@link dev.pinaivu.gateway.coordinator.TcpCoordinator}
 * speaks the coordinator protocol (docs/coordinator-protocol.md) over one pipelined TCP connection,
 * to the dev-mode coordinator on loopback or, in production, to the vsock bridge in front of the
 * enclave.
 */
package dev.pinaivu.gateway.coordinator;
