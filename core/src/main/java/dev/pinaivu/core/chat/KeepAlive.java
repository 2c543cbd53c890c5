package dev.pinaivu.core.chat;

import java.time.Duration;

/**
 * Keeps a client's connection open while its answer is being made (ADR 23): once the client has
 * heard nothing for the interval, it is sent something that is no output ({@link
 * ChatSink#keepAlive}). It spans every attempt of one request, on the {@link System#nanoTime}
 * clock.
 */
final class KeepAlive {
  private final ChatSink sink;
  private final boolean stream;
  private final long interval;
  private long lastWrite;

  KeepAlive(ChatSink sink, boolean stream, Duration interval, long now) {
    this.sink = sink;
    this.stream = stream;
    this.interval = interval.toNanos();
    this.lastWrite = now;
  }

  long nanosUntilDue(long now) {
    return lastWrite + interval - now;
  }

  void sendIfDue(long now) throws ClientGoneException {
    if (nanosUntilDue(now) <= 0) {
      sink.keepAlive(stream);
      lastWrite = now;
    }
  }

  /** Something reached the client: the interval starts again. */
  void wrote(long now) {
    lastWrite = now;
  }
}
