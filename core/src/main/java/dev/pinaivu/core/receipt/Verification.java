package dev.pinaivu.core.receipt;

import java.util.Objects;

/**
 * The outcome of checking a signed document: valid with the document it proved, or invalid with a
 * one-line reason that names the field at fault when there is one.
 *
 * @param value the verified document; null when invalid
 * @param reason empty when valid
 */
public record Verification<T>(T value, String reason) {
  public Verification {
    Objects.requireNonNull(reason, "reason");
    if ((value == null) == reason.isEmpty()) {
      throw new IllegalArgumentException("a valid result has a value, an invalid one a reason");
    }
  }

  public static <T> Verification<T> valid(T value) {
    return new Verification<>(Objects.requireNonNull(value, "value"), "");
  }

  public static <T> Verification<T> invalid(String reason) {
    return new Verification<>(null, reason);
  }

  public boolean valid() {
    return value != null;
  }

  /** The same failure for another value type, with {@code prefix} in front of the reason. */
  public <U> Verification<U> failure(String prefix) {
    if (valid()) {
      throw new IllegalStateException("not a failure");
    }
    return invalid(prefix + reason);
  }

  /** The verified value, or {@link IllegalStateException} with the reason. */
  public T orElseThrow() {
    if (!valid()) {
      throw new IllegalStateException(reason);
    }
    return value;
  }
}
