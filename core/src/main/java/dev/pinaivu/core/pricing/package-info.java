/**
 * What a request costs, in integer micro-dollars (µUSD) only: the node's amount from the billed
 * usage and the winning offer's prices, the network fee on top, and the total charged to the
 * client. The rule is specified in {@code docs/receipts.md} ("Pricing"); {@link
 * dev.pinaivu.core.pricing.Charge} is its executable form.
 */
package dev.pinaivu.core.pricing;
