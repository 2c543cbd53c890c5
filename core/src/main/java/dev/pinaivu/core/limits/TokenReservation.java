package dev.pinaivu.core.limits;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.openai.ChatRequest;

/**
 * How many tokens a request reserves at admission, before anyone has counted them: the prompt
 * estimated from the body, plus the most the completion may use. The reservation is settled to the
 * node's count when the request ends, so the estimate only has to be cautious, not exact.
 *
 * <ul>
 *   <li>Prompt: one token per 4 bytes of the UTF-8 body. The body also holds JSON punctuation,
 *       tools and parameters, which all count as prompt tokens at the model too, so this errs high
 *       for English text, about right for code and CJK, and needs no tokenizer per model.
 *   <li>Completion: {@code n × max_completion_tokens} (or {@code max_tokens}). Without either, a
 *       default of {@value #DEFAULT_COMPLETION_TOKENS} per choice (a common server default, and
 *       enough for most answers), cut down to what the key's TPM leaves after the prompt, so that a
 *       request without {@code max_tokens} can always run on an idle key. The model's context
 *       length is not used: admission comes before routing, and contexts of 128k would lock a key's
 *       whole minute for every call.
 * </ul>
 */
public final class TokenReservation {
  public static final int DEFAULT_COMPLETION_TOKENS = 4096;
  static final int BYTES_PER_TOKEN = 4;

  private TokenReservation() {}

  /** The reservation for {@code request} from a key with {@code tpm} (null for unlimited). */
  public static long of(ChatRequest request, Integer tpm) {
    long prompt = promptEstimate(request.text());
    long choices = choices(request.body().get("n"));
    if (request.maxTokens() != null) {
      return saturatedAdd(prompt, saturatedMultiply(choices, request.maxTokens()));
    }
    long completion = choices * DEFAULT_COMPLETION_TOKENS;
    if (tpm != null) {
      completion = Math.min(completion, Math.max(0, tpm - prompt));
    }
    return saturatedAdd(prompt, completion);
  }

  /** One token per 4 UTF-8 bytes, rounded up. */
  static long promptEstimate(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return Math.ceilDiv(bytes, BYTES_PER_TOKEN);
  }

  private static long choices(JsonNode n) {
    return n != null && n.canConvertToInt() && n.intValue() > 1 ? n.intValue() : 1;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long saturatedMultiply(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
