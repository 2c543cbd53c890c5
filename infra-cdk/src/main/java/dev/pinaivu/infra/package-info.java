/**
 * The AWS deployment as a CDK app: {@link dev.pinaivu.infra.PinaivuApp} reads the inputs from CDK
 * context and synthesizes {@link dev.pinaivu.infra.CoordinatorStack}, the coordinator's
 * enclave-enabled instance, its attestation-bound KMS keys and the transparency log table (ADR 14).
 */
package dev.pinaivu.infra;
