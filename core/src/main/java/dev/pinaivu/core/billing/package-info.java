/**
 * Billing a request once it is over: the node's proof, the coordinator's receipt, the ledger, the
 * receipt store. Runs after the response, never delaying the client's last byte.
 */
package dev.pinaivu.core.billing;
