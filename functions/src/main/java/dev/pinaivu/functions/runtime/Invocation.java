package dev.pinaivu.functions.runtime;

import java.time.Instant;

/**
 * One event from the Runtime API's {@code invocation/next}, with the headers that describe it.
 *
 * @param requestId {@code Lambda-Runtime-Aws-Request-Id}, the invocation's id
 * @param deadline {@code Lambda-Runtime-Deadline-Ms}: when the function times out
 * @param functionArn {@code Lambda-Runtime-Invoked-Function-Arn} (null if absent)
 * @param traceId {@code Lambda-Runtime-Trace-Id} (null if absent)
 * @param event the event's bytes, JSON
 */
public record Invocation(
    String requestId, Instant deadline, String functionArn, String traceId, byte[] event) {}
