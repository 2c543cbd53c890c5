/**
 * The network's stores as one bundle of ports: what a gateway process is built from, whether they
 * live in SQLite under a data directory or in DynamoDB tables that many processes share.
 */
package dev.pinaivu.core.stores;
