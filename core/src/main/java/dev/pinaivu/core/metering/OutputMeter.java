package dev.pinaivu.core.metering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts the generated text that reached the client, to bound the completion tokens a job can bill:
 * every token a real tokenizer emits as text is at least one byte of it. Generated tokens that
 * never appear as text (the end-of-sequence token, a reasoning or tool-call wrapper) are covered by
 * an allowance per choice and per tool call.
 *
 * <pre>
 * completion_limit = output_bytes + 16 × choices with output + 32 × tool calls
 * </pre>
 *
 * where {@code output_bytes} counts the UTF-8 bytes of {@code content}, {@code refusal}, {@code
 * reasoning_content}, {@code reasoning}, and tool and function call {@code name} and {@code
 * arguments}, in every choice's {@code delta} (streamed) or {@code message} (whole). Feed it only
 * what was written to the client. Not thread-safe: one per attempt.
 */
public final class OutputMeter {
  static final long PER_CHOICE = 16;
  static final long PER_TOOL_CALL = 32;
  private static final String[] TEXT = {"content", "refusal", "reasoning_content", "reasoning"};

  /** Choices and calls counted at most; beyond, output adds bytes but no more allowances. */
  static final int MAX_COUNTED = 1024;

  /** Text kept for {@link ClaimCheck}, at most this many characters. */
  static final int MAX_TEXT = 1 << 20;

  private final Set<Long> choices = new HashSet<>();
  private final StringBuilder text = new StringBuilder();
  private final Set<String> toolCalls = new HashSet<>();
  private long bytes;
  private long wholeToolCalls;

  /** A {@code chat.completion.chunk} that reached the client. */
  public void chunk(JsonNode chunk) {
    for (JsonNode choice : chunk.path("choices")) {
      count(choice, choice.path("delta"), true);
    }
  }

  /** A whole {@code chat.completion} that reached the client. */
  public void completion(JsonNode completion) {
    for (JsonNode choice : completion.path("choices")) {
      count(choice, choice.path("message"), false);
    }
  }

  /** The UTF-8 bytes of generated text seen so far. */
  public long outputBytes() {
    return bytes;
  }

  /** The generated text seen so far (its first {@value #MAX_TEXT} characters). */
  public String text() {
    return text.toString();
  }

  /** The most completion tokens the output seen so far can account for. */
  public long completionLimit() {
    long calls = toolCalls.size() + Math.min(wholeToolCalls, MAX_COUNTED);
    return bytes + PER_CHOICE * choices.size() + PER_TOOL_CALL * calls;
  }

  private void count(JsonNode choice, JsonNode part, boolean streamed) {
    long index = choice.path("index").asLong(0);
    long before = bytes;
    for (String field : TEXT) {
      bytes += utf8(part.get(field));
    }
    for (JsonNode call : part.path("tool_calls")) {
      bytes +=
          utf8(call.path("function").get("name")) + utf8(call.path("function").get("arguments"));
      if (streamed) {
        // fragments of one call share its index: count each (choice, call) once
        add(toolCalls, index + ":" + call.path("index").asLong(0));
      } else {
        wholeToolCalls++;
      }
    }
    JsonNode function = part.path("function_call");
    bytes += utf8(function.get("name")) + utf8(function.get("arguments"));
    if (bytes > before || choice.hasNonNull("finish_reason")) {
      add(choices, index);
    }
  }

  private static <T> void add(Set<T> counted, T key) {
    if (counted.size() < MAX_COUNTED) {
      counted.add(key);
    }
  }

  /** UTF-8 bytes of a text node, kept for the claim check; 0 for anything else. */
  private long utf8(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return 0;
    }
    String s = node.textValue();
    if (text.length() < MAX_TEXT) {
      text.append(s, 0, Math.min(s.length(), MAX_TEXT - text.length()));
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
