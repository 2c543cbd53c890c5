package dev.pinaivu.gateway;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.pinaivu.core.metering.TokenCounter;

/**
 * {@link TokenCounter} with jtokkit's o200k_base (the GPT-4o tokenizer): a well-kept Java port of
 * tiktoken, whose large vocabulary makes its counts close to, or below, those of the open models'
 * tokenizers, which is the safe side for judging a node's claim.
 */
final class JtokkitCounter implements TokenCounter {
  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  @Override
  public long count(String text) {
    return encoding.countTokensOrdinary(text);
  }
}
