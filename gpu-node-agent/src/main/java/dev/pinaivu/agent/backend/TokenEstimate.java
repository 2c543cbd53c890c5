package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token counts for when the inference server reports none (or the job was cancelled before it
 * could): about four characters per token. Always marked estimated where used.
 */
public final class TokenEstimate {
  private TokenEstimate() {}

  /** The prompt's size: the text of all messages. */
  public static long prompt(ObjectNode request) {
    long chars = 0;
    for (JsonNode message : request.path("messages")) {
      JsonNode content = message.path("content");
      chars += content.isTextual() ? content.textValue().length() : content.toString().length();
    }
    return Math.max(1, chars / 4);
  }
}
