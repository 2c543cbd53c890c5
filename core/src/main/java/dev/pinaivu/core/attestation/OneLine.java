package dev.pinaivu.core.attestation;

/** Refusal reasons are printed as one line, so library messages are flattened before use. */
final class OneLine {
  private OneLine() {}

  static String of(String text) {
    return text == null || text.isBlank() ? "(no detail)" : text.replaceAll("\\s+", " ").strip();
  }
}
