/**
 * {@code ./pinaivu receipts verify}: checks a routing receipt offline with {@link
 * dev.pinaivu.core.receipt.ReceiptVerifier}, from a file or fetched from the gateway by request id,
 * trusting only coordinator keys whose attestation checks out (Nitro), or development keys when
 * asked to. docs/receipts.md, "Verifying from the command line", describes it.
 */
package dev.pinaivu.cli.receipts;
