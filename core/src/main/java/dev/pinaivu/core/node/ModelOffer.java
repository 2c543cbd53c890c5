package dev.pinaivu.core.node;

import dev.pinaivu.core.money.TokenPrice;
import java.util.Objects;

/**
 * One model a node serves and its price.
 *
 * @param contextLength null when the upstream does not say
 */
public record ModelOffer(
    String id, long inputMicrosPerMtok, long outputMicrosPerMtok, Integer contextLength) {
  public ModelOffer {
    Objects.requireNonNull(id, "id");
    if (id.isBlank() || id.length() > 256) {
      throw new IllegalArgumentException("model id must be 1..256 characters");
    }
    if (inputMicrosPerMtok < 0 || outputMicrosPerMtok < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
    if (contextLength != null && contextLength < 1) {
      throw new IllegalArgumentException("context length must be positive");
    }
  }

  public ModelOffer(String id, TokenPrice price, Integer contextLength) {
    this(id, price.inputMicrosPerMillion(), price.outputMicrosPerMillion(), contextLength);
  }

  public TokenPrice price() {
    return new TokenPrice(inputMicrosPerMtok, outputMicrosPerMtok);
  }
}
