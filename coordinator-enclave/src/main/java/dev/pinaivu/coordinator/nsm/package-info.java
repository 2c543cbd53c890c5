/**
 * The Nitro Security Module, the enclave's only source of attestation documents: {@link
 * dev.pinaivu.coordinator.nsm.NsmCodec} encodes requests and decodes responses (pure, tested
 * everywhere), {@link dev.pinaivu.coordinator.nsm.NsmIoctl} hands them to {@code /dev/nsm} (only
 * works inside an enclave), and {@link dev.pinaivu.coordinator.nsm.NsmAttestor} binds the
 * coordinator key to a document. Why the raw ioctl and not libnsm: docs/adr/0011-nsm-access.md.
 */
package dev.pinaivu.coordinator.nsm;
