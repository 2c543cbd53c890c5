package dev.pinaivu.testkit;

import java.util.Objects;

/**
 * A model the fake server serves.
 *
 * @param id the model id clients send as {@code model}
 * @param maxModelLen context length, listed as {@code max_model_len} like vLLM does and enforced
 *     like vLLM does (400 when prompt plus {@code max_tokens} exceed it); {@code null} for none
 */
public record FakeModel(String id, Integer maxModelLen) {

  public FakeModel {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("model id is blank");
    }
    if (maxModelLen != null && maxModelLen < 1) {
      throw new IllegalArgumentException("maxModelLen must be positive: " + maxModelLen);
    }
  }

  /** A model with no context length limit. */
  public static FakeModel of(String id) {
    return new FakeModel(id, null);
  }

  /** This model with a context length of {@code tokens}. */
  public FakeModel withMaxModelLen(int tokens) {
    return new FakeModel(id, tokens);
  }
}
