/** The port to the attested coordinator that signs dispatch tokens and receipts. */
package dev.pinaivu.core.coordinator;
