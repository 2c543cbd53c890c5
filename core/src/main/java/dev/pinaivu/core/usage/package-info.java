/** Usage and receipts as the client sees them: stored receipts, and reports summed from them. */
package dev.pinaivu.core.usage;
