/**
 * The attested coordinator that signs dispatch tokens and receipts: the port ({@link
 * dev.pinaivu.core.coordinator.Coordinator}), the logic behind it ({@link
 * dev.pinaivu.core.coordinator.CoordinatorService}), and its wire protocol without sockets (framing
 * in {@link dev.pinaivu.core.coordinator.Frames}, messages in the codecs, the server's dispatch in
 * {@link dev.pinaivu.core.coordinator.CoordinatorEndpoint}), and the proofs by which every
 * connection's two ends show they share the {@link dev.pinaivu.core.coordinator.ParentSecret}
 * ({@link dev.pinaivu.core.coordinator.ParentAuth}). The server and the gateway's client live in
 * their own modules; docs/coordinator-protocol.md is the protocol's specification.
 *
 * <p>The transparency log is split across the two sides (ADR 10): {@link
 * dev.pinaivu.core.coordinator.CoordinatorLog} is the coordinator's frontier and signing key, and
 * {@link dev.pinaivu.core.coordinator.LogSync} is the use case by which the parent opens it and
 * stores its entries and checkpoints.
 */
package dev.pinaivu.core.coordinator;
