package dev.pinaivu.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders a non-streaming {@code chat.completion} body. */
final class CompletionBody {

  private CompletionBody() {}

  static byte[] render(Completion completion) {
    ChatRequest request = completion.request();
    ObjectNode root =
        Json.MAPPER
            .createObjectNode()
            .put("id", completion.id())
            .put("object", "chat.completion")
            .put("created", completion.created())
            .put("model", request.model());
    JsonNode logprobs =
        request.logprobs() && !completion.isToolCall()
            ? Logprobs.of(completion.pieces(), 0, request.topLogprobs())
            : null;
    ArrayNode choices = root.putArray("choices");
    for (int index = 0; index < request.n(); index++) {
      ObjectNode choice = choices.addObject().put("index", index);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (completion.isToolCall()) {
        message.putNull("content");
        ObjectNode call =
            message
                .putArray("tool_calls")
                .addObject()
                .put("id", completion.toolCallId(index))
                .put("type", "function");
        call.putObject("function")
            .put("name", completion.toolName())
            .put("arguments", completion.text());
      } else {
        message.put("content", completion.text());
      }
      choice.set("logprobs", logprobs);
      choice.put("finish_reason", completion.finishReason());
    }
    int prompt = request.promptTokens();
    root.putObject("usage")
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion.reportedCompletionTokens())
        .put("total_tokens", prompt + completion.reportedCompletionTokens());
    return Json.bytes(root);
  }
}
