package dev.pinaivu.core.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.id.RequestId;

/** A chat completion to run on one node. */
public record Job(
    RequestId requestId,
    String model,
    boolean stream,
    ObjectNode request,
    long deadlineMs,
    String dispatchToken) {}
