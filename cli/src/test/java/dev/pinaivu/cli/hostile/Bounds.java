package dev.pinaivu.cli.hostile;

import java.nio.charset.StandardCharsets;

/**
 * What the gateway may bill at most, whatever a node claims: the limits the attack tests hold it
 * to. Completion tokens per choice: the UTF-8 bytes of the output delivered plus 16 (no tokenizer
 * makes more than one token of a byte; 16 covers special tokens), and no more than the request's
 * {@code max_tokens}. Prompt tokens: the request body's bytes plus 256 plus 16 per message (chat
 * templates add a few tokens per message).
 */
final class Bounds {
  static final long COMPLETION_SLACK = 16;
  static final long PROMPT_SLACK = 256;
  static final long PER_MESSAGE = 16;

  /** Operator ceiling by default: $10 per 1M input tokens, $30 per 1M output tokens. */
  static final long CEILING_INPUT_MICROS_PER_MTOK = 10_000_000;

  static final long CEILING_OUTPUT_MICROS_PER_MTOK = 30_000_000;

  private Bounds() {}

  static long completion(String deliveredText) {
    return bytes(deliveredText) + COMPLETION_SLACK;
  }

  static long completion(String deliveredText, long maxTokens) {
    return Math.min(completion(deliveredText), maxTokens);
  }

  static long prompt(String body, int messages) {
    return bytes(body) + PROMPT_SLACK + PER_MESSAGE * messages;
  }

  static long bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
