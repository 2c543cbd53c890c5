package dev.pinaivu.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.openai.ApiKind;
import dev.pinaivu.core.openai.ResponsesRequests;
import dev.pinaivu.core.receipt.DispatchToken;

/**
 * What the node changes in the client's request before its inference server sees it, and why: only
 * what the dispatch token requires. The request hash is over the client's bytes as sent; this is
 * applied to the parsed copy that runs.
 */
final class UpstreamRequest {
  private UpstreamRequest() {}

  /**
   * The chat completion request that runs a job's request: the request itself for a chat job; for a
   * Responses job, its translation, the one the gateway validated (ADR 33), since inference servers
   * such as Ollama and llama.cpp serve chat completions only.
   *
   * @throws dev.pinaivu.core.error.ApiException when a Responses request cannot be translated
   * @throws IllegalArgumentException when {@code api} names an API this agent does not know
   */
  static ObjectNode forApi(ObjectNode request, String api) {
    return switch (ApiKind.fromWire(api)) {
      case CHAT -> request;
      case RESPONSES -> ResponsesRequests.toChat(request);
    };
  }

  /**
   * Without {@code max_tokens}, the job may bill at most the token's {@code max_completion_tokens}
   * (n × the network's default), so the node stops there: generating more would go unpaid. {@code
   * provider} is the network's routing parameter (OpenRouter's), not the model's.
   */
  static void limit(ObjectNode request, DispatchToken token) {
    request.remove("provider");
    if (request.hasNonNull("max_tokens") || request.hasNonNull("max_completion_tokens")) {
      return;
    }
    long choices = Math.max(1, request.path("n").asLong(1));
    long perChoice = Math.max(1, token.maxCompletionTokens() / choices);
    request.put("max_tokens", perChoice);
  }
}
