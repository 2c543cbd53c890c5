package dev.pinaivu.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a {@code chat.completion.chunk} carries. */
public final class ChunkContent {
  private ChunkContent() {}

  /** True when the chunk carries output: text, a tool call, a refusal, or a finish reason. */
  public static boolean carriesOutput(ObjectNode chunk) {
    JsonNode choices = chunk.get("choices");
    if (!(choices instanceof ArrayNode array)) {
      return false;
    }
    for (JsonNode choice : array) {
      if (choice.hasNonNull("finish_reason")) {
        return true;
      }
      JsonNode delta = choice.path("delta");
      for (String field : new String[] {"content", "refusal", "reasoning_content", "reasoning"}) {
        JsonNode value = delta.get(field);
        if (value != null && value.isTextual() && !value.textValue().isEmpty()) {
          return true;
        }
      }
      if (delta.path("tool_calls").size() > 0 || delta.hasNonNull("function_call")) {
        return true;
      }
    }
    return false;
  }
}
