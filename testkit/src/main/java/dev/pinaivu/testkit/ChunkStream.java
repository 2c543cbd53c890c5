package dev.pinaivu.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a completion as OpenAI's {@code chat.completion.chunk} events: per choice an opening
 * chunk (role, and for a tool call its id and name with empty arguments), one chunk per piece, a
 * chunk with the finish reason; then the usage chunk when asked for, then {@code [DONE]}. Chunks
 * are built from string templates so a stream costs little more than its bytes.
 */
final class ChunkStream {

  private ChunkStream() {}

  static List<SseEvent> render(Completion completion) {
    ChatRequest request = completion.request();
    String head =
        "{\"id\":\"%s\",\"object\":\"chat.completion.chunk\",\"created\":%d,\"model\":%s,\"choices\":["
            .formatted(completion.id(), completion.created(), Json.quote(request.model()));
    // OpenAI sends "usage":null on every chunk once include_usage is asked for
    String tail = request.includeUsage() ? "],\"usage\":null}" : "]}";
    int choices = request.n();
    List<SseEvent> events = new ArrayList<>((completion.pieces().size() + 2) * choices + 2);
    for (int index = 0; index < choices; index++) {
      events.add(chunk(head, choice(index, opening(completion, index), "null", null), tail, false));
    }
    List<String> pieces = completion.pieces();
    for (int position = 0; position < pieces.size(); position++) {
      String delta = pieceDelta(completion, pieces.get(position));
      String logprobs = logprobs(completion, pieces.get(position), position);
      for (int index = 0; index < choices; index++) {
        boolean paced = position > 0 && index == 0;
        events.add(chunk(head, choice(index, delta, logprobs, null), tail, paced));
      }
    }
    String finish = "\"" + completion.finishReason() + "\"";
    for (int index = 0; index < choices; index++) {
      events.add(chunk(head, choice(index, "{}", "null", finish), tail, false));
    }
    if (request.includeUsage()) {
      int prompt = request.promptTokens();
      int generated = completion.reportedCompletionTokens();
      String usage =
          "],\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d}}"
              .formatted(prompt, generated, prompt + generated);
      events.add(SseEvent.data(head + usage, false));
    }
    events.add(SseEvent.DONE);
    return events;
  }

  private static SseEvent chunk(String head, String choice, String tail, boolean paced) {
    return SseEvent.data(head + choice + tail, paced);
  }

  private static String choice(int index, String delta, String logprobs, String finishReason) {
    return "{\"index\":"
        + index
        + ",\"delta\":"
        + delta
        + ",\"logprobs\":"
        + logprobs
        + ",\"finish_reason\":"
        + finishReason
        + "}";
  }

  private static String opening(Completion completion, int index) {
    if (!completion.isToolCall()) {
      return "{\"role\":\"assistant\",\"content\":\"\"}";
    }
    return "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"%s\",\"type\":\"function\",\"function\":{\"name\":%s,\"arguments\":\"\"}}]}"
        .formatted(completion.toolCallId(index), Json.quote(completion.toolName()));
  }

  private static String pieceDelta(Completion completion, String piece) {
    return completion.isToolCall()
        ? "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + Json.quote(piece) + "}}]}"
        : "{\"content\":" + Json.quote(piece) + "}";
  }

  private static String logprobs(Completion completion, String piece, int position) {
    ChatRequest request = completion.request();
    if (!request.logprobs() || completion.isToolCall()) {
      return "null";
    }
    return Json.string(Logprobs.of(List.of(piece), position, request.topLogprobs()));
  }
}
