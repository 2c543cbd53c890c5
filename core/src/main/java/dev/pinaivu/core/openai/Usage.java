package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.json.Json;

/** Token counts of one completion, as in OpenAI's {@code usage} object. */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {
  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || totalTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  public static Usage of(long prompt, long completion) {
    return new Usage(prompt, completion, prompt + completion);
  }

  /** Reads an OpenAI usage object; null when absent or not of that shape. */
  public static Usage from(JsonNode usage) {
    if (usage == null
        || !usage.isObject()
        || !usage.path("prompt_tokens").canConvertToLong()
        || !usage.path("completion_tokens").canConvertToLong()) {
      return null;
    }
    long prompt = usage.get("prompt_tokens").asLong();
    long completion = usage.get("completion_tokens").asLong();
    if (prompt < 0 || completion < 0) {
      return null;
    }
    return of(prompt, completion);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("prompt_tokens", promptTokens);
    node.put("completion_tokens", completionTokens);
    node.put("total_tokens", totalTokens);
    return node;
  }
}
