package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of a chat completion request the fake server acts on; everything else ({@code seed},
 * {@code stop}, {@code response_format}, ...) is accepted and ignored.
 *
 * @param userText the text of the last user message, which the reply echoes
 * @param promptTokens tokens in the text of all messages
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}; {@code null} if neither
 * @param minTokens vLLM's {@code min_tokens}, 0 if absent
 * @param tool the tool definition to call, or {@code null} to answer with text
 */
record ChatRequest(
    String model,
    String userText,
    int promptTokens,
    boolean stream,
    boolean includeUsage,
    int n,
    Integer maxTokens,
    int minTokens,
    boolean logprobs,
    int topLogprobs,
    JsonNode tool) {

  static ChatRequest from(JsonNode body) {
    if (!body.isObject()) {
      throw OpenAiError.badRequest("We could not parse the JSON body of your request.", null);
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isBlank()) {
      throw OpenAiError.badRequest("You must provide a model parameter.", "model");
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw OpenAiError.badRequest("'messages' must be a non-empty array.", "messages");
    }
    String userText = "";
    int promptTokens = 0;
    for (JsonNode message : messages) {
      String text = text(message.path("content"));
      promptTokens += Tokenizer.count(text);
      if ("user".equals(message.path("role").asText())) {
        userText = text;
      }
    }
    Integer maxTokens = optionalInt(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    if (maxTokens == null) {
      maxTokens = optionalInt(body, "max_tokens", 1, Integer.MAX_VALUE);
    }
    return new ChatRequest(
        model.asText(),
        userText,
        promptTokens,
        body.path("stream").asBoolean(false),
        body.path("stream_options").path("include_usage").asBoolean(false),
        orDefault(optionalInt(body, "n", 1, 128), 1),
        maxTokens,
        orDefault(optionalInt(body, "min_tokens", 0, Integer.MAX_VALUE), 0),
        body.path("logprobs").asBoolean(false),
        orDefault(optionalInt(body, "top_logprobs", 0, 20), 0),
        forcedTool(body.path("tools"), body.path("tool_choice")));
  }

  /** A string content, or the text parts of an array content joined by spaces. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        text.append(text.isEmpty() ? "" : " ").append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** The tool {@code tool_choice} forces: the first for "required", or the one it names. */
  private static JsonNode forcedTool(JsonNode tools, JsonNode choice) {
    if (!tools.isArray() || tools.isEmpty()) {
      return null;
    }
    if ("required".equals(choice.asText())) {
      return tools.get(0);
    }
    if (!choice.isObject()) {
      return null;
    }
    String name = choice.path("function").path("name").asText();
    for (JsonNode tool : tools) {
      if (tool.path("function").path("name").asText().equals(name)) {
        return tool;
      }
    }
    throw OpenAiError.badRequest(
        "Invalid value for 'tool_choice': no function named '" + name + "' in 'tools'.",
        "tool_choice");
  }

  private static Integer optionalInt(JsonNode body, String field, int min, int max) {
    JsonNode value = body.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
      throw OpenAiError.badRequest("'" + field + "' must be an integer.", field);
    }
    int number = value.asInt();
    if (number < min || number > max) {
      throw OpenAiError.badRequest(
          "'" + field + "' must be between " + min + " and " + max + ", got " + number + ".",
          field);
    }
    return number;
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
