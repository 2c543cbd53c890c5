/**
 * Usage and receipts as the client sees them: the signed receipts the gateway keeps ({@link
 * dev.pinaivu.core.usage.ReceiptStore}), the use cases that serve one back ({@link
 * dev.pinaivu.core.usage.ReceiptLookup}) and that sum them into an OpenAI-shaped usage report
 * ({@link dev.pinaivu.core.usage.UsageReport}, parameters in {@link
 * dev.pinaivu.core.usage.UsageQuery}). Every usage figure is a sum of stored receipts' signed
 * figures, in integer arithmetic; docs/usage.md describes the report.
 */
package dev.pinaivu.core.usage;
