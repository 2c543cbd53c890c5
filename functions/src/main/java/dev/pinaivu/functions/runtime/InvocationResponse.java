package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.io.OutputStream;

/** The response of one invocation, opened by its handler once it knows what to send. */
public final class InvocationResponse {
  private final RuntimeApi api;
  private final String requestId;
  private StreamedResponse stream;
  private FunctionError failure;

  InvocationResponse(RuntimeApi api, String requestId) {
    this.api = api;
    this.requestId = requestId;
  }

  /**
   * Starts the response with {@code contentType}; what is written to the stream is sent at each
   * flush. Once only.
   */
  public OutputStream open(String contentType) throws IOException {
    if (stream != null) {
      throw new IllegalStateException("the response is open already");
    }
    stream = api.respond(requestId, contentType);
    return stream;
  }

  /** True once the handler opened the response: an error can only go in its trailers then. */
  public boolean opened() {
    return stream != null;
  }

  /**
   * Ends the opened response with {@code error} in its trailers once the handler returns, for a
   * handler that told the client of a failure in the body itself: Lambda records the invocation as
   * failed, and what was written stays delivered.
   */
  public void fail(FunctionError error) {
    if (stream == null) {
      throw new IllegalStateException("nothing was sent: throw instead, for invocation/error");
    }
    failure = error;
  }

  FunctionError failure() {
    return failure;
  }

  StreamedResponse stream() {
    return stream;
  }
}
