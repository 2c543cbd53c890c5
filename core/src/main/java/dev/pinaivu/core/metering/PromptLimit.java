package dev.pinaivu.core.metering;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The most prompt tokens a request can bill, from its bytes alone: every token a real tokenizer
 * makes of text is at least one byte of it, so the UTF-8 bytes of the whole body bound the tokens
 * of its text (the body also holds JSON punctuation, which only adds room). A chat template adds
 * tokens that are not in the body (role markers, a default system prompt, tool instructions); the
 * allowances below cover those of common templates. An image costs tokens its bytes do not bound
 * when it is given by URL, so each image part adds {@value #PER_IMAGE} tokens.
 *
 * <pre>
 * prompt_limit = body_bytes + 256 + 16 × messages + 1024 × (tools present) + 8192 × image parts
 * </pre>
 */
public final class PromptLimit {
  static final long BASE = 256;
  static final long PER_MESSAGE = 16;
  static final long WITH_TOOLS = 1024;
  static final long PER_IMAGE = 8192;

  private PromptLimit() {}

  /** The limit for a request of {@code bodyBytes} UTF-8 bytes whose parsed body is {@code body}. */
  public static long of(long bodyBytes, JsonNode body) {
    JsonNode messages = body.path("messages");
    long images = 0;
    for (JsonNode message : messages) {
      for (JsonNode part : message.path("content")) {
        String type = part.path("type").asText("");
        if (type.equals("image_url") || type.equals("input_image") || type.equals("image")) {
          images++;
        }
      }
    }
    boolean tools = body.path("tools").size() > 0 || body.path("functions").size() > 0;
    return bodyBytes
        + BASE
        + PER_MESSAGE * messages.size()
        + (tools ? WITH_TOOLS : 0)
        + PER_IMAGE * images;
  }
}
