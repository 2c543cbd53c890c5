package dev.pinaivu.core.dispatch;

import dev.pinaivu.core.id.RequestId;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.protocol.Frame;

/**
 * A chat completion to run on one node.
 *
 * @param request the client's body, exactly as sent
 * @param api the API the body is for; the node translates a Responses request to chat itself
 */
public record Job(
    RequestId requestId,
    String model,
    boolean stream,
    String request,
    long deadlineMs,
    String dispatchToken,
    ApiKind api) {
  /** A chat completion job. */
  public Job(
      RequestId requestId,
      String model,
      boolean stream,
      String request,
      long deadlineMs,
      String dispatchToken) {
    this(requestId, model, stream, request, deadlineMs, dispatchToken, ApiKind.CHAT);
  }

  /** The {@code job} frame that sends it to a node (its id is the request's). */
  public Frame.Job frame() {
    return new Frame.Job(
        requestId.value(),
        model,
        stream,
        request,
        deadlineMs,
        dispatchToken,
        api == ApiKind.CHAT ? null : api.wire());
  }
}
