/**
 * DynamoDB adapters of core's storage ports, for the AWS deployment. {@link
 * dev.pinaivu.functions.store.DynamoDbLogStore} keeps the transparency log's leaves and latest
 * checkpoint (ADR 13). The adapters take a ready {@code DynamoDbClient}; wiring one (region, HTTP
 * client, credentials) belongs to the entry points.
 */
package dev.pinaivu.functions.store;
