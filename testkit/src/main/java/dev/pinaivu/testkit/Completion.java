package dev.pinaivu.testkit;

import java.util.List;

/**
 * What the fake model answers to one request, decided before anything is written: the same pieces
 * for every choice, either reply text tokens or tool call argument fragments.
 *
 * @param pieces text tokens, or fragments of the tool call arguments when {@code toolName} is set
 * @param toolName the function called, or {@code null} for a text reply
 * @param usageFactor how many times the tokens it generated the server reports in its usage: 1 for
 *     an honest server, more for one that inflates its bill
 */
record Completion(
    String id,
    long created,
    ChatRequest request,
    List<String> pieces,
    String finishReason,
    String toolName,
    int usageFactor) {

  private static final String ECHO = "Echo: ";

  /**
   * Text replies echo the last user message, repeated to the configured reply length or vLLM's
   * {@code min_tokens}, and cut at {@code max_tokens} with finish reason "length".
   */
  static Completion plan(ChatRequest request, Settings settings, long sequence, long created) {
    String id = "chatcmpl-%024x".formatted(sequence);
    int factor = settings.usageFactor;
    if (request.tool() != null) {
      String arguments =
          ToolArguments.build(request.tool(), request.userText(), settings.toolArgumentsBytes);
      String name = request.tool().path("function").path("name").asText();
      return new Completion(
          id, created, request, Tokenizer.split(arguments), "tool_calls", name, factor);
    }
    int exact = settings.replyTokens;
    int wanted = Math.max(exact, request.minTokens());
    String echo = ECHO + request.userText();
    List<String> tokens = Tokenizer.split(echo);
    if (tokens.size() < wanted) {
      // a copy may lose one token when trailing whitespace joins the next copy's first token
      String repeated = (echo + " ").repeat(wanted / Math.max(1, tokens.size() - 1) + 1);
      tokens = Tokenizer.split(repeated).subList(0, wanted);
    }
    if (exact > 0 && tokens.size() > exact) {
      tokens = tokens.subList(0, exact);
    }
    int limit = request.maxTokens() == null ? Integer.MAX_VALUE : request.maxTokens();
    if (tokens.size() > limit) {
      return new Completion(id, created, request, tokens.subList(0, limit), "length", null, factor);
    }
    return new Completion(id, created, request, tokens, "stop", null, factor);
  }

  boolean isToolCall() {
    return toolName != null;
  }

  /** The reply text, or the whole tool call arguments. */
  String text() {
    return String.join("", pieces);
  }

  String toolCallId(int choice) {
    return "call_" + id.substring("chatcmpl-".length()) + choice;
  }

  int completionTokens() {
    return request.n() * pieces.size();
  }

  /** The completion tokens the usage reports: {@link #completionTokens} times the usage factor. */
  int reportedCompletionTokens() {
    return Math.multiplyExact(completionTokens(), usageFactor);
  }
}
