package dev.pinaivu.core.metering;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * {@link TokenCounter} with jtokkit's o200k_base (the GPT-4o tokenizer): a well-kept Java port of
 * tiktoken, whose large vocabulary makes its counts close to, or below, those of the open models'
 * tokenizers, which is the safe side for judging a node's claim.
 */
public final class JtokkitCounter implements TokenCounter {
  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  @Override
  public long count(String text) {
    return encoding.countTokensOrdinary(text);
  }
}
