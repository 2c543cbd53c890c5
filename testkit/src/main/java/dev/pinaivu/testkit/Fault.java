package dev.pinaivu.testkit;

/**
 * A failure the fake server injects into a chat completion request, instead of or in the middle of
 * its normal answer. Set with {@link FakeOpenAiServer#failWith}, {@link FakeOpenAiServer#failNext}
 * or {@link FakeOpenAiServer#failWhen}.
 */
public sealed interface Fault {

  /** Answer with this HTTP status and an OpenAI error body, before any output. */
  record Status(int status, String message) implements Fault {
    public Status {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("not an error status: " + status);
      }
      if (message == null || message.isBlank()) {
        throw new IllegalArgumentException("message is blank");
      }
    }
  }

  /**
   * Like a crash mid-stream: send {@code afterChunks} SSE events, then close the connection without
   * {@code [DONE]} and without ending the chunked body; a stream with no more events than that
   * completes normally. A non-streaming request gets its connection closed before any response.
   */
  record Drop(int afterChunks) implements Fault {
    public Drop {
      if (afterChunks < 0) {
        throw new IllegalArgumentException("afterChunks is negative: " + afterChunks);
      }
    }
  }

  /**
   * Never answer: hold the request until the server closes, even if the client gives up (a silent
   * client cannot be noticed without writing to it).
   */
  record Hang() implements Fault {}

  /** An error status with the usual OpenAI message for it. */
  static Fault status(int status) {
    String message =
        switch (status) {
          case 400 -> "Invalid request.";
          case 429 -> "Rate limit reached for requests.";
          case 500 -> "The server had an error while processing your request.";
          case 503 -> "The server is overloaded or not ready yet.";
          default -> "Fake upstream failure with status " + status + ".";
        };
    return new Status(status, message);
  }

  static Fault status(int status, String message) {
    return new Status(status, message);
  }

  /** A 400 with an {@code invalid_request_error} carrying {@code message}. */
  static Fault badRequest(String message) {
    return new Status(400, message);
  }

  static Fault dropAfterChunks(int chunks) {
    return new Drop(chunks);
  }

  static Fault hang() {
    return new Hang();
  }
}
