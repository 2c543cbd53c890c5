/**
 * A Lambda runtime loop of our own that streams responses (ADR 26): the managed Java runtime's
 * interface client only sends whole responses, so the chat function replaces it, through {@code
 * AWS_LAMBDA_EXEC_WRAPPER}, with {@link dev.pinaivu.functions.runtime.StreamingRuntime}, which
 * speaks the Runtime API itself: the next event, a response posted in chunks as the handler
 * flushes, errors before the first byte and error trailers after it, and SnapStart's restore.
 */
package dev.pinaivu.functions.runtime;
