/**
 * Test endpoints for the AWS adapters, shared with other modules through the test-jar: {@link
 * dev.pinaivu.functions.testsupport.Dynalite} (the DynamoDB emulator as it comes) and {@link
 * dev.pinaivu.functions.testsupport.DynamoTransactionsFront} (dynalite behind a test-only front
 * that adds transactions and TTL settings), with the front's own tests, and {@link
 * dev.pinaivu.functions.testsupport.LocalStack} (LocalStack's DynamoDB, where Docker exists).
 */
package dev.pinaivu.functions.testsupport;
