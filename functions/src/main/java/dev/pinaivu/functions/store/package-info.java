/**
 * DynamoDB adapters of core's storage ports, for the AWS deployment. {@link
 * dev.pinaivu.functions.store.DynamoDbLogStore} keeps the transparency log's leaves and latest
 * checkpoint in its own table (ADR 13). Everything else lives in one table, {@code <prefix>network}
 * ({@link dev.pinaivu.functions.store.NetworkTable}, ADR 21): keys, the ledger and key spend,
 * receipts, owed settlements, holds and rate windows, one adapter per port ({@code DynamoDb*}),
 * each write a conditional write or one TransactWriteItems. The adapters take a ready {@code
 * DynamoDbClient}; wiring one (region, HTTP client, credentials) belongs to the entry points.
 */
package dev.pinaivu.functions.store;
