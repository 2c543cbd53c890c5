package dev.pinaivu.core.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * The fewest tokens a request's prompt can be, from its text alone, so that a request which cannot
 * fit a model's context is refused before it is dispatched (ADR 32). It must never refuse a request
 * that would fit: it counts only the UTF-8 bytes of the messages' text and divides them by {@value
 * #MAX_BYTES_PER_TOKEN}, several times what the tokenizers of common open models (Llama 3, Qwen 2,
 * Mistral, cl100k-like vocabularies) pack into a token of real text (about 4 bytes of English,
 * fewer of code or other scripts). Template tokens are not counted, which only makes the floor
 * lower.
 */
public final class PromptFloor {
  static final long MAX_BYTES_PER_TOKEN = 16;

  private PromptFloor() {}

  /** The floor for a chat completion body (its {@code messages}). */
  public static long of(JsonNode body) {
    long bytes = 0;
    for (JsonNode message : body.path("messages")) {
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        bytes += utf8(content.asText());
      }
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          bytes += utf8(part.path("text").asText());
        }
      }
    }
    return bytes / MAX_BYTES_PER_TOKEN;
  }

  private static long utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
