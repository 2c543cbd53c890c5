package dev.pinaivu.agent.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Tells an inference server's "prompt too long" error from its other 4xx errors, so that the client
 * gets OpenAI's {@code context_length_exceeded} (ADR 32). Servers word it differently: vLLM and
 * OpenAI say "maximum context length", llama.cpp's type is {@code exceed_context_size_error},
 * Ollama and others mention the "context length" or "context window".
 */
final class ContextErrors {
  static final String CODE = "context_length_exceeded";

  private ContextErrors() {}

  static boolean isContextLengthExceeded(JsonNode error) {
    if (CODE.equals(error.path("code").asText(null))
        || "exceed_context_size_error".equals(error.path("type").asText(null))) {
      return true;
    }
    String message = error.isTextual() ? error.textValue() : error.path("message").asText("");
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("maximum context length")
        || lower.contains("context length")
        || lower.contains("context window")
        || lower.contains("context size");
  }
}
