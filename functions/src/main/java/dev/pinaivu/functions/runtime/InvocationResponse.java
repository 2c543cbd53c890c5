package dev.pinaivu.functions.runtime;

import java.io.IOException;
import java.io.OutputStream;

/** The response of one invocation, opened by its handler once it knows what to send. */
public final class InvocationResponse {
  private final RuntimeApi api;
  private final String requestId;
  private StreamedResponse stream;

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

  StreamedResponse stream() {
    return stream;
  }
}
