package dev.pinaivu.testkit;

import java.time.Duration;

/** The behaviour knobs a test may change while the server runs; read afresh by each request. */
final class Settings {

  volatile Duration timeToFirstToken = Duration.ZERO;
  volatile Duration tokenDelay = Duration.ZERO;

  /** When positive, every text reply has exactly this many tokens (repeating the echo). */
  volatile int replyTokens;

  /** When positive, tool call arguments are padded to at least this many bytes. */
  volatile int toolArgumentsBytes;

  /** The usage reports this many times the tokens generated (1: honest). */
  volatile int usageFactor = 1;
}
