/**
 * The coordinator's client over TCP (ADR 8, 16): what a gateway, and on AWS each Lambda function
 * that dispatches or settles, uses to reach the coordinator (in the enclave, through its parent),
 * authenticated by the parent secret.
 */
package dev.pinaivu.core.coordinator.client;
