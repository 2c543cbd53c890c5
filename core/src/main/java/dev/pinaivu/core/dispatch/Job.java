package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.id.RequestId;

/**
 * A chat completion to run on one node.
 *
 * @param request the client's body, exactly as sent
 */
public record Job(
    RequestId requestId,
    String model,
    boolean stream,
    String request,
    long deadlineMs,
    String dispatchToken) {}
