/**
 * The ledger: who holds how many micro-dollars. Clients prepay ({@link
 * dev.pinaivu.core.ledger.TopUp}), each request is settled once ({@link
 * dev.pinaivu.core.ledger.Settlement}: the client pays, the node earns, the network keeps a fee),
 * and every movement is a balanced set of {@link dev.pinaivu.core.ledger.JournalEntry journal
 * entries}. Storage port: {@link dev.pinaivu.core.ledger.Ledger}. Design: {@code
 * docs/adr/0006-ledger.md}.
 */
package dev.pinaivu.core.ledger;
