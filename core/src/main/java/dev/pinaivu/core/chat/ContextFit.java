package dev.pinaivu.core.chat;

import dev.pinaivu.core.error.ApiException;
import dev.pinaivu.core.error.ErrorKind;
import dev.pinaivu.core.metering.PromptFloor;
import dev.pinaivu.core.openai.ChatRequest;
import dev.pinaivu.core.routing.NodeCandidate;
import java.util.List;

/**
 * Keeps the nodes whose model context can hold the request (ADR 32): the prompt's floor plus the
 * output tokens asked for (none when the client set no limit, as OpenAI counts then). A node that
 * does not say its context length may serve; when every node says one and none fits, the request is
 * refused at once with OpenAI's 400 {@code context_length_exceeded}, before any money is held.
 */
final class ContextFit {
  private ContextFit() {}

  static List<NodeCandidate> fitting(List<NodeCandidate> live, ChatRequest request) {
    long prompt = PromptFloor.of(request.body());
    long completion = request.maxTokens() == null ? 0 : request.maxTokens();
    long needed = prompt + completion;
    List<NodeCandidate> fitting =
        live.stream()
            .filter(c -> c.offer().contextLength() == null || needed <= c.offer().contextLength())
            .toList();
    if (fitting.isEmpty() && !live.isEmpty()) {
      int largest = live.stream().mapToInt(c -> c.offer().contextLength()).max().orElseThrow();
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "This model's maximum context length is "
              + largest
              + " tokens. However, you requested at least "
              + needed
              + " tokens ("
              + prompt
              + " in the messages, "
              + completion
              + " in the completion). Please reduce the length of the messages or completion.",
          "messages",
          "context_length_exceeded");
    }
    return fitting;
  }
}
