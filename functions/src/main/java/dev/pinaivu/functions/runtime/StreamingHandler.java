package dev.pinaivu.functions.runtime;

/**
 * A function whose response streams: {@link StreamingRuntime} calls it once per invocation, one
 * invocation at a time. Its no-arg constructor runs during the function's init (and, with
 * SnapStart, before the snapshot), so that is where clients are built.
 */
public interface StreamingHandler {
  /**
   * Answers one invocation. Nothing is sent until the handler opens the response; an exception
   * before that fails the invocation ({@code invocation/error}), one after it ends the stream with
   * the error trailers. Bytes are sent when the handler flushes the opened stream.
   */
  void handle(Invocation invocation, InvocationResponse response) throws Exception;

  /** SnapStart: the snapshot is about to be taken (close connections that must not be copied). */
  default void beforeCheckpoint() throws Exception {}

  /** SnapStart: this environment was restored from the snapshot (reopen what was closed). */
  default void afterRestore() throws Exception {}
}
