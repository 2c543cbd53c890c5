package dev.pinaivu.testkit;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event, serialized ahead of time.
 *
 * @param paced whether the token delay is waited before sending it (each token after the first)
 */
record SseEvent(byte[] bytes, boolean paced) {

  static final SseEvent DONE = data("[DONE]", false);

  static SseEvent data(String payload, boolean paced) {
    return new SseEvent(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8), paced);
  }
}
