/**
 * What the network has seen of each node, and what it lets the node do because of it: a reputation
 * that decays and recovers ({@link dev.pinaivu.core.reputation.Reputation}), probation, quarantine
 * with backoff and a capacity capped by what the node has shown ({@link
 * dev.pinaivu.core.reputation.NodeConduct}), and the operator's admission policy ({@link
 * dev.pinaivu.core.reputation.NodeAdmission}). Pure: every method takes the time it is asked at.
 * See docs/adr/0022-node-reputation.md.
 */
package dev.pinaivu.core.reputation;
