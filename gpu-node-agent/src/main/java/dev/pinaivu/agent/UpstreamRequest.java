package dev.pinaivu.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinaivu.core.receipt.DispatchToken;

/**
 * What the node changes in the client's request before its inference server sees it, and why: only
 * what the dispatch token requires. The request hash is over the client's bytes as sent; this is
 * applied to the parsed copy that runs.
 */
final class UpstreamRequest {
  private UpstreamRequest() {}

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
